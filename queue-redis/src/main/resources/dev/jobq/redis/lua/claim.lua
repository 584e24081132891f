-- claim.lua: gives a worker up to N jobs, highest priority first, FIFO within a priority,
-- after moving delayed jobs that are due into their wait sets.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 worker id, 3 how many jobs at most (never more than 1000 in one call,
--   so that one call does not hold Redis for long), 4 lease (ms)
-- Output: the claimed jobs, each as its hash's field/value list (ACTIVE, attempt counted,
--   a new lease token). Empty when the queue is paused or nothing is ready.
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
for level = 0, 3 do
  while left > 0 do
    local popped = redis.call('ZPOPMIN', waiting(level), left)
    if #popped == 0 then
      break
    end
    for i = 1, #popped, 2 do
      local id = popped[i]
      local key = JOB .. id
      local f = redis.call('HMGET', key, 'enqueued_at', 'attempt', 'token')
      -- an id whose hash is gone (deleted by hand) is dropped; `jobq doctor` reports such
      if f[1] then
        local attempt = (tonumber(f[2]) or 0) + 1
        redis.call('HSET', key, 'status', 'ACTIVE', 'worker', worker, 'started_at', now,
          'attempt', attempt, 'token', (tonumber(f[3]) or 0) + 1)
        emit(id, 'started', now, 'attempt', attempt, 'worker', worker)
        redis.call('ZADD', ACTIVE, now + lease, id)
        waits[#waits + 1] = math.max(0, now - (tonumber(f[1]) or now))
        out[#out + 1] = redis.call('HGETALL', key)
        left = left - 1
      end
    end
  end
end

-- what sample() does per job, once for the whole claim
if #waits > 0 then
  redis.call('LPUSH', WAIT_MS, unpack(waits))
  redis.call('LTRIM', WAIT_MS, 0, SAMPLES_KEPT - 1)
end

if left == 0 then
  for level = 0, 3 do
    if redis.call('ZCARD', waiting(level)) > 0 then
      wake()
      break
    end
  end
end
return out
