-- progress.lua: stores a running job's progress report (fenced by its lease token).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 progress JSON
-- Output (Reply.java's codes): DONE (1), or NOT_FOUND (-1), STALE (-3: stale token)
check_keys(0)
check_count(#ARGV == 4, '4: now, job id, lease token, progress')
whole(ARGV[1], 'now (ms)', 0, MAX_MS)
nonempty(ARGV[2], 'job id')
whole(ARGV[3], 'lease token', 0, MAX_MS)
local job, refusal = held(ARGV[2], ARGV[3])
if not job then
  return refusal
end
job.progress, job.progress_at = ARGV[4], tonumber(ARGV[1])
save(ARGV[2], job)
emit(ARGV[2], 'progress', 'progress', ARGV[4])
return DONE
