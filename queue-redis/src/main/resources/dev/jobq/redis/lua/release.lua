-- release.lua: gives an active job back without spending its attempt (a worker shutting
-- down); it goes back to its own place in its priority, ahead of later jobs.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token
-- Output: 1, or -1 (no such job), -3 (stale token)
local now, id = tonumber(ARGV[1]), ARGV[2]
local key, refusal = held(id, ARGV[3])
if not key then
  return refusal
end
local f = redis.call('HMGET', key, 'pri', 'seq')
redis.call('ZREM', ACTIVE, id)
freed_slot()
redis.call('HINCRBY', key, 'attempt', -1)
redis.call('HSET', key, 'status', 'WAITING', 'enqueued_at', now)
redis.call('ZADD', waiting(tonumber(f[1])), tonumber(f[2]), id)
redis.call('HINCRBY', STATS, 'released', 1)
emit(id, 'released', now)
wake()
return 1
