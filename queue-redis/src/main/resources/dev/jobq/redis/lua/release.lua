-- release.lua: gives an active job back without spending its attempt (a worker shutting
-- down); it goes back to the head of its priority, to run next.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 job id, 3 lease token
-- Output (Reply.java's codes): DONE (1), or NOT_FOUND (-1), STALE (-3: stale token), DROPPED
--   (-4: cancelled while it ran under this token: its lease, kept until now, ends)
check_keys(0)
check_count(#ARGV == 3, '3: now, job id, lease token')
local now, id = whole(ARGV[1], 'now (ms)', 0, MAX_MS), nonempty(ARGV[2], 'job id')
whole(ARGV[3], 'lease token', 0, MAX_MS)
local job, refusal = reported(id, ARGV[3])
if not job then
  return refusal
end
redis.call('ZREM', ACTIVE, id)
freed_slot()
-- back to the attempt count it had; a job that never ran has none (lib.lua)
job.attempt = (tonumber(job.attempt) or 1) - 1
if job.attempt <= 0 then
  job.attempt = nil
end
job.enqueued_at = now
move(id, job, 'WAITING')
redis.call('LPUSH', waiting(level_of(job)), id)
redis.call('HINCRBY', STATS, 'released', 1)
emit(id, 'released')
wake()
return DONE
