-- repair.lua: the safe repairs of `jobq doctor`, each re-checked here so that a job that moved
-- on since the doctor looked is left alone.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), then pairs of action and job id:
--   drop     the id has no hash: remove it from every set of the queue
--   reindex  the hash is in no set: put it in the set its status names (an ACTIVE one gets
--            an expired lease, so the reaper retries it through its policy)
-- Output: per pair 1 (repaired) or 0 (no longer needed)
local now = tonumber(ARGV[1])
local all_sets = {DELAYED, ACTIVE, BLOCKED, FAILED, COMPLETED, CANCELLED}
for level = 0, 3 do
  all_sets[#all_sets + 1] = waiting(level)
end

local function in_any_set(id)
  for _, set in ipairs(all_sets) do
    if redis.call('ZSCORE', set, id) then
      return true
    end
  end
  return false
end

local function reindex(id)
  local key = JOB .. id
  local f = redis.call('HMGET', key, 'status', 'pri', 'run_at', 'finished_at')
  local status = f[1]
  if status == 'WAITING' then
    make_waiting(key, id, tonumber(f[2]) or 2, now)
  elseif status == 'DELAYED' then
    redis.call('ZADD', DELAYED, tonumber(f[3]) or now, id)
  elseif status == 'ACTIVE' then
    redis.call('ZADD', ACTIVE, now, id)
  elseif status == 'BLOCKED' then
    redis.call('ZADD', BLOCKED, now, id)
  else
    local index = ({FAILED = FAILED, COMPLETED = COMPLETED, CANCELLED = CANCELLED})[status]
    if not index then
      return 0
    end
    redis.call('ZADD', index, tonumber(f[4]) or now, id)
  end
  return 1
end

local out = {}
for i = 2, #ARGV, 2 do
  local action, id = ARGV[i], ARGV[i + 1]
  local exists = redis.call('EXISTS', JOB .. id) == 1
  local done = 0
  if action == 'drop' and not exists then
    for _, set in ipairs(all_sets) do
      done = done + redis.call('ZREM', set, id)
    end
    done = math.min(done, 1)
  elseif action == 'reindex' and exists and not in_any_set(id) then
    done = reindex(id)
  end
  out[#out + 1] = done
end
return out
