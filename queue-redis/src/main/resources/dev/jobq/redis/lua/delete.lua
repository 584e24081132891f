-- delete.lua: deletes one job that is not active, with its entry in the list or set its status
-- names (a waiting one by a scan of its priority's list: O(n)). Children that wait for an
-- unfinished job are settled as for a cancelled parent (cancelled, or ready when they run
-- anyway), so that none waits for a parent that is gone. A job cancelled while it ran gives up
-- the lease it kept (lib.lua delete_jobs). A job that still runs is refused: an ACTIVE one
-- (cancel it first), and a CANCELLED one whose lease is still in active (its handler runs on:
-- deleting it would free its running-limit slot before the handler stopped).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of cancelled jobs (ms), 3 how many to keep at most, 4 the id
-- Output (Reply.java's codes): DONE (1: deleted), NOT_FOUND (-1: no such job), WRONG_STATUS
--   (-8: the job is ACTIVE, or CANCELLED and still holding its lease; unchanged)
check_keys(0)
check_count(#ARGV == 4, '4: now, retention of cancelled jobs (ms), cancelled jobs kept, job id')
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
CANCELLED_MS = whole(ARGV[2], 'the retention of cancelled jobs (ms)', 0, MAX_MS)
CANCELLED_KEPT = whole(ARGV[3], 'the number of cancelled jobs kept', 1, math.huge)
local id = argv_nonempty(4, 'a job id')
local job = job_of(id)
if not job then
  return NOT_FOUND
end
if job.status == 'ACTIVE' or (job.status == 'CANCELLED' and redis.call('ZSCORE', ACTIVE, id)) then
  return WRONG_STATUS
end
if job.status == 'WAITING' or job.status == 'DELAYED' or job.status == 'BLOCKED' then
  settle_children(id, job, 'CANCELLED', now)
end
local sets = {DELAYED = DELAYED, BLOCKED = BLOCKED, COMPLETED = COMPLETED, FAILED = FAILED,
  CANCELLED = CANCELLED}
if job.status == 'WAITING' then
  redis.call('LREM', waiting(level_of(job)), 1, id)
  delete_job(id)
elseif sets[job.status] then
  delete_jobs(sets[job.status], {id})
else
  delete_job(id) -- no status (edited by hand): in no list or set it could be found by
end
emit(id, 'deleted', 'status', tostring(job.status))
return DONE
