-- fail.lua: ends a failed attempt of an active job (fenced by its lease token): a retry
-- through the delayed set, or the failed set when no attempt is left or none is wanted, or,
-- for a job with an escalation, a hand-over to the job the caller enqueued to take over.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token, 4 error class, 5 error message, 6 stack trace,
--   7 retry delay (ms; -1 to dead-letter now), 8 for a job with an escalation ('escalate'
--   field) whose attempt is its last: '' (or absent) to ask, '-' to dead-letter it anyway,
--   or the queue/id of the job already enqueued to take over, 9 how long a dead-lettered job
--   is kept (ms; 0 or absent: until retried or purged), 10 and 11 how long a cancelled job
--   (an escalated original, a child of a failed parent) is kept (ms) and how many at most
-- Output (Reply.java's codes): RETRY_SCHEDULED (1), DEAD_LETTERED (2), ESCALATED (3),
--   ESCALATES (4: nothing changed; enqueue the job that takes over and call again), or
--   NOT_FOUND (-1), STALE (-3: stale token), DROPPED (-4: cancelled while it ran under this
--   token: its lease, kept until now, ends; the failure is dropped)
check_keys(0)
check_count(#ARGV >= 7 and #ARGV <= 11, '7 to 11, as PROTOCOL.md lists')
local now, id = whole(ARGV[1], 'now (ms)', 0, MAX_MS), nonempty(ARGV[2], 'job id')
whole(ARGV[3], 'lease token', 0, MAX_MS)
text(ARGV[4], 'error class')
text(ARGV[5], 'error message')
text(ARGV[6], 'stack trace')
local delay = whole(ARGV[7], 'retry delay (ms)', -1, MAX_DELAY_MS)
whole(ARGV[9] or '0', 'the retention of failed jobs (ms)', 0, MAX_MS)
CANCELLED_MS = whole(ARGV[10] or '0', 'the retention of cancelled jobs (ms)', 0, MAX_MS)
CANCELLED_KEPT = ARGV[11] and whole(ARGV[11], 'the number of cancelled jobs kept', 1, math.huge)
  or math.huge
local job, refusal = reported(id, ARGV[3])
if not job then
  return refusal
end
local to = ARGV[8] or ''
if to == '' and job.escalate
    and (delay < 0 or (tonumber(job.attempt) or 0) >= (tonumber(job.max_attempts) or 1)) then
  return ESCALATES
end
return fail_attempt(id, job, now, ARGV[4], ARGV[5], ARGV[6], delay, nil, to, tonumber(ARGV[9]))
