-- progress.lua: stores a running job's progress report (fenced by its lease token).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 progress JSON
-- Output: 1, or -1 (no such job), -3 (stale token)
local key, refusal = held(ARGV[2], ARGV[3])
if not key then
  return refusal
end
redis.call('HSET', key, 'progress', ARGV[4], 'progress_at', ARGV[1])
emit(ARGV[2], 'progress', tonumber(ARGV[1]), 'progress', ARGV[4])
return 1
