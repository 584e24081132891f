-- repair.lua: the safe repairs of `jobq doctor`, each re-checked here so that a job that moved
-- on since the doctor looked is left alone.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), then per repair its action, the job id and where the doctor found the id
--   (comma-separated names among delayed, active, blocked, failed, completed, cancelled,
--   wait:0 .. wait:3; '' for none):
--   drop     the id has no job: remove it from where it was found
--   reindex  the job is in no list or set: put it in the one its status names (an ACTIVE one
--            gets an expired lease, so the reaper retries it through its policy)
--   errors   the failed job's error in short (failed_errors, lib.lua move()) is missing or
--            disagrees with the job: write it anew
--   unerror  an id that is not a failed job has an error in short: drop it
--   forget   the id is a schedule's name with a last firing (schedule_last) but no schedule
--            (removed by a jobq older than schedule_last): drop the last firing
-- Output: per repair 1 (repaired) or 0 (no longer needed)
check_keys(0)
check_count(#ARGV % 3 == 1, 'now, then 3 per repair: action, job id, where it was found')
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
for i = 2, #ARGV, 3 do
  one_of(ARGV[i], 'ARGV[' .. i .. '], an action', {'drop', 'reindex', 'errors', 'unerror',
    'forget'})
  argv_nonempty(i + 1, 'a job id (or schedule name)')
end
local index = {DELAYED = DELAYED, ACTIVE = ACTIVE, BLOCKED = BLOCKED, FAILED = FAILED,
  COMPLETED = COMPLETED, CANCELLED = CANCELLED}
-- the names the doctor gives: each set's status in lower case, and the wait lists
local named, lists = {}, {}
for status, set in pairs(index) do
  named[string.lower(status)] = set
end
for level = 0, 3 do
  named['wait:' .. level] = waiting(level)
  lists['wait:' .. level] = true
end

local function in_any(id)
  for _, set in pairs(index) do
    if redis.call('ZSCORE', set, id) then
      return true
    end
  end
  for level = 0, 3 do
    if redis.call('LPOS', waiting(level), id) then
      return true
    end
  end
  return false
end

-- Only where the doctor saw it: a list is scanned (LREM), which a queue's many ids make slow.
local function drop(id, where)
  local removed = 0
  for name in string.gmatch(where, '[^,]+') do
    if lists[name] then
      removed = removed + redis.call('LREM', named[name], 0, id)
    elseif named[name] then
      removed = removed + redis.call('ZREM', named[name], id)
    end
  end
  redis.call('HDEL', FAILED_ERRORS, id)
  return math.min(removed, 1)
end

-- The job keeps its status: only its id is put back where that status says.
local function reindex(id, job)
  if job.status == 'WAITING' then
    push_waiting(id, job, now)
  elseif job.status == 'DELAYED' then
    redis.call('ZADD', DELAYED, tonumber(job.run_at) or now, id)
  elseif job.status == 'ACTIVE' or job.status == 'BLOCKED' then
    redis.call('ZADD', index[job.status], now, id)
  elseif index[job.status] then
    redis.call('ZADD', index[job.status], tonumber(job.finished_at) or now, id)
    if job.status == 'FAILED' then
      redis.call('HSET', FAILED_ERRORS, id, failure_summary(job))
    end
  else
    return 0
  end
  return 1
end

local out = {}
for i = 2, #ARGV, 3 do
  local action, id = ARGV[i], ARGV[i + 1]
  local job = job_of(id)
  local done = 0
  if action == 'drop' and not job then
    done = drop(id, ARGV[i + 2])
  elseif action == 'reindex' and job and not in_any(id) then
    done = reindex(id, job)
  elseif action == 'errors' and job and job.status == 'FAILED'
      and redis.call('HGET', FAILED_ERRORS, id) ~= failure_summary(job) then
    redis.call('HSET', FAILED_ERRORS, id, failure_summary(job))
    done = 1
  elseif action == 'unerror' and not (job and job.status == 'FAILED') then
    done = redis.call('HDEL', FAILED_ERRORS, id)
  elseif action == 'forget' and redis.call('HEXISTS', SCHEDULES, id) == 0 then
    done = redis.call('HDEL', SCHEDULE_LAST, id)
  end
  out[#out + 1] = done
end
return out
