-- fail.lua: ends a failed attempt of an active job (fenced by its lease token): a retry
-- through the delayed set, or the failed set when no attempt is left or none is wanted.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 error class, 5 error message, 6 stack trace,
--   7 retry delay (ms; -1 to dead-letter now), 8 queue/id of the job already enqueued to take
--   over instead of the failed list ('' or absent for none)
-- Output: 1 (retry scheduled), 2 (dead-lettered), 3 (escalated), or -1 (no such job), -3
--   (stale token)
local now, id = tonumber(ARGV[1]), ARGV[2]
local key, refusal = held(id, ARGV[3])
if not key then
  return refusal
end
return fail_attempt(key, id, now, ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), nil, ARGV[8])
