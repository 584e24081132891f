-- progress.lua: stores a running job's progress report (fenced by its lease token).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 progress JSON
-- Output: 1, or -1 (no such job), -3 (stale token)
local job, refusal = held(ARGV[2], ARGV[3])
if not job then
  return refusal
end
job.progress, job.progress_at = ARGV[4], tonumber(ARGV[1])
save(ARGV[2], job)
emit(ARGV[2], 'progress', 'progress', ARGV[4])
return 1
