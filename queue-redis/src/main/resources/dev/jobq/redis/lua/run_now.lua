-- run_now.lua: makes a delayed job (scheduled for later, or backing off before a retry) waiting
-- now, at the tail of its priority, as if its time had come: its attempts stay as they are.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 the id
-- Output (Reply.java's codes): DONE (1: waiting now), NOT_FOUND (-1: no such job), WRONG_STATUS
--   (-8: the job is not DELAYED; unchanged)
check_keys(0)
check_count(#ARGV == 2, '2: now, job id')
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local id = argv_nonempty(2, 'a job id')
local job = job_of(id)
if not job then
  return NOT_FOUND
end
if job.status ~= 'DELAYED' then
  return WRONG_STATUS
end
redis.call('ZREM', DELAYED, id)
make_waiting(id, job, now)
emit(id, 'promoted')
wake()
return DONE
