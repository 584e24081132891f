-- complete.lua: ends an active job successfully (fenced by its lease token).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 result JSON ('' for none),
--   5 retention of completed jobs (ms), 6 how many completed jobs to keep at most
-- Output: 1, or -1 (no such job), -3 (not active under this token: nothing changed)
local now, id = tonumber(ARGV[1]), ARGV[2]
local key, refusal = held(id, ARGV[3])
if not key then
  return refusal
end
redis.call('ZREM', ACTIVE, id)
if ARGV[4] ~= '' then
  redis.call('HSET', key, 'result', ARGV[4])
end
redis.call('HINCRBY', STATS, 'completed', 1)
count_rate(now, 'c')
sample(RUN_MS, now - (tonumber(redis.call('HGET', key, 'started_at')) or now))
finish(key, id, 'COMPLETED', now, COMPLETED, tonumber(ARGV[5]), tonumber(ARGV[6]))
return 1
