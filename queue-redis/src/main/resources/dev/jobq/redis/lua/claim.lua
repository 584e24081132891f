-- claim.lua: gives a worker up to N jobs, highest priority first, FIFO within a priority,
-- after moving delayed jobs that are due into their wait sets.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 worker id, 3 how many jobs at most, 4 lease (ms)
-- Output: the claimed jobs, each as its hash's field/value list (ACTIVE, attempt counted,
--   a new lease token). Empty when the queue is paused or nothing is ready.
local now, worker, max, lease = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local PROMOTE_LIMIT = 1000

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
      local since = redis.call('HGET', key, 'enqueued_at')
      -- an id whose hash is gone (deleted by hand) is dropped; `jobq doctor` reports such
      if since then
        redis.call('HINCRBY', key, 'attempt', 1)
        redis.call('HINCRBY', key, 'token', 1)
        redis.call('HSET', key, 'status', 'ACTIVE', 'worker', worker, 'started_at', now)
        redis.call('ZADD', ACTIVE, now + lease, id)
        sample(WAIT_MS, now - tonumber(since))
        out[#out + 1] = redis.call('HGETALL', key)
        left = left - 1
      end
    end
  end
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
