-- claim.lua: gives a worker up to N jobs, highest priority first, FIFO within a priority,
-- after moving delayed jobs that are due into their wait sets.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 worker id, 3 how many jobs at most (never more than 1000 in one call,
--   so that one call does not hold Redis for long), 4 lease (ms)
-- Output: the claimed jobs, each as its id followed by its hash's field/value list (ACTIVE,
--   attempt counted, a new lease token). Empty when the queue is paused, nothing is ready, or
--   its limits hold every ready job back (the queue's or its types' running and start-rate
--   limits).
local MAX_CLAIM, PROMOTE_LIMIT = 1000, 1000
local now, worker, lease = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[4])
local max = math.min(tonumber(ARGV[3]), MAX_CLAIM)

local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'WITHSCORES', 'LIMIT', 0, PROMOTE_LIMIT)
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZREM', DELAYED, id)
  local level = redis.call('HGET', JOB .. id, 'pri')
  if level then
    -- its wait is counted from when it fell due, not from when it was enqueued
    make_waiting(JOB .. id, id, tonumber(level), tonumber(due[i + 1]))
  end
end

-- promoted even while paused, so that idle workers do not wake again and again for due jobs
if redis.call('HGET', META, 'paused') == '1' then
  return {}
end

local out = {}
local waits = {}
local left = max

-- Makes a waiting job ACTIVE under a new lease, the job's id already out of its wait set.
local function take(id)
  local key = JOB .. id
  local f = redis.call('HMGET', key, 'created_at', 'enqueued_at', 'attempt', 'token')
  -- an id whose hash is gone (deleted by hand) is dropped; `jobq doctor` reports such
  if not f[1] then
    return false
  end
  local attempt = (tonumber(f[3]) or 0) + 1
  redis.call('HSET', key, 'status', 'ACTIVE', 'worker', worker, 'started_at', now,
    'attempt', attempt, 'token', (tonumber(f[4]) or 0) + 1)
  emit(id, 'started', now, 'attempt', attempt, 'worker', worker)
  redis.call('ZADD', ACTIVE, now + lease, id)
  waits[#waits + 1] = math.max(0, now - (tonumber(f[2]) or tonumber(f[1]) or now))
  local row = redis.call('HGETALL', key)
  table.insert(row, 1, id)
  out[#out + 1] = row
  left = left - 1
  return true
end

-- Limits (jobq limits): per scope, 'queue' or 'type:<type>', "max running,max started,per ms";
-- 0 is no limit.
local limits = {}
local types_limited = false
local flat = redis.call('HGETALL', LIMITS)
for i = 1, #flat, 2 do
  local r, s, per = string.match(flat[i + 1], '^(%d+),(%d+),(%d+)$')
  if r then
    limits[flat[i]] = {tonumber(r), tonumber(s), tonumber(per)}
    types_limited = types_limited or flat[i] ~= 'queue'
  end
end

-- How many more jobs of a scope may start now, and, when its start rate is what stops it,
-- when its next window opens.
local function room(scope, running)
  local l = limits[scope]
  local n, opens = math.huge, nil
  if l[1] > 0 then
    n = l[1] - running
  end
  if l[2] > 0 then
    local window = math.floor(now / l[3])
    local f = redis.call('HMGET', LIMIT_STATE, 'win:' .. scope, 'n:' .. scope)
    local used = tonumber(f[1]) == window and tonumber(f[2]) or 0
    if l[2] - used < n then
      n, opens = l[2] - used, (window + 1) * l[3]
    end
  end
  return math.max(0, n), opens
end

-- Notes that a scope held a job back: for the monitor, and so that the right event wakes idle
-- workers (a window opening, which they wait for; a running job ending, see freed_slot).
local function held(scope, opens)
  redis.call('HSET', LIMIT_STATE, 'held:' .. scope, now)
  if opens then
    local until_ms = tonumber(redis.call('HGET', LIMIT_STATE, 'held_until') or '')
    if not until_ms or until_ms <= now or opens < until_ms then
      redis.call('HSET', LIMIT_STATE, 'held_until', opens)
    end
  else
    redis.call('HSET', LIMIT_STATE, 'held_running', 1)
  end
end

local function count_starts(scope, n)
  local l = limits[scope]
  if l[2] > 0 and n > 0 then
    local window = math.floor(now / l[3])
    if tonumber(redis.call('HGET', LIMIT_STATE, 'win:' .. scope)) == window then
      redis.call('HINCRBY', LIMIT_STATE, 'n:' .. scope, n)
    else
      redis.call('HSET', LIMIT_STATE, 'win:' .. scope, window, 'n:' .. scope, n)
    end
  end
end

if limits['queue'] then
  local n, opens = room('queue', redis.call('ZCARD', ACTIVE))
  if n < left then
    left = n
    if n == 0 and any_waiting() then
      held('queue', opens)
    end
  end
end
local wanted = left

if not types_limited then
  for level = 0, 3 do
    while left > 0 do
      local popped = redis.call('ZPOPMIN', waiting(level), left)
      if #popped == 0 then
        break
      end
      for i = 1, #popped, 2 do
        take(popped[i])
      end
    end
  end
else
  -- Jobs of a type at its limit keep their place; the scan looks past them, at most SCAN
  -- deep per priority, so a long run of held-back jobs delays the ones behind it.
  local SCAN = 1000
  local rooms, opens_of, marked, started = {}, {}, {}, {}
  local running = nil
  for level = 0, 3 do
    if left <= 0 then
      break
    end
    local ids = redis.call('ZRANGE', waiting(level), 0, SCAN - 1)
    for _, id in ipairs(ids) do
      if left <= 0 then
        break
      end
      local t = redis.call('HGET', JOB .. id, 'type') or ''
      local scope = 'type:' .. t
      local ok = true
      if limits[scope] then
        if rooms[scope] == nil then
          if not running then
            -- running jobs per type, counted once per call from the active set
            running = {}
            for _, a in ipairs(redis.call('ZRANGE', ACTIVE, 0, -1)) do
              local at = redis.call('HGET', JOB .. a, 'type') or ''
              running[at] = (running[at] or 0) + 1
            end
          end
          rooms[scope], opens_of[scope] = room(scope, running[t] or 0)
        end
        ok = rooms[scope] > 0
        if not ok and not marked[scope] then
          held(scope, opens_of[scope])
          marked[scope] = true
        end
      end
      if ok then
        redis.call('ZREM', waiting(level), id)
        if take(id) and limits[scope] then
          rooms[scope] = rooms[scope] - 1
          started[scope] = (started[scope] or 0) + 1
        end
      end
    end
  end
  for scope, n in pairs(started) do
    count_starts(scope, n)
  end
end
if limits['queue'] then
  count_starts('queue', wanted - left)
end

-- what sample() does per job, once for the whole claim
if #waits > 0 then
  redis.call('LPUSH', WAIT_MS, unpack(waits))
  redis.call('LTRIM', WAIT_MS, 0, SAMPLES_KEPT - 1)
end

-- all it asked for: more may be ready, for the next idle worker (not so when a limit cut it)
if #out == max and any_waiting() then
  wake()
end
return out
