-- cancel.lua: cancels jobs that have not finished. A waiting, delayed or blocked job leaves
-- its list or set (a waiting one by a scan of its priority's list: O(n)); an active one is
-- marked CANCELLED at once and its worker learns it at its next lease renewal. An active one
-- keeps its lease in active, and so its slot under a running limit, while its handler may
-- still run: until its worker reports (the outcome is dropped, lib.lua reported()) or the
-- lease passes (reap.lua).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of cancelled jobs (ms), 3 how many to keep at most, 4.. ids
-- Output (Reply.java's codes): per id JOB_CANCELLED (1), ALREADY_FINISHED (2: unchanged; a
--   job whose status cannot move to CANCELLED), NOT_FOUND (-1: no such job)
check_keys(0)
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
-- the cancelled index is trimmed after the batch, never during it: a cancelled job named later
-- in the batch is answered as ALREADY_FINISHED, not as a job trimmed away by an earlier id
local retention_ms = whole(ARGV[2], 'the retention of cancelled jobs (ms)', 0, MAX_MS)
local max_kept = whole(ARGV[3], 'the number of cancelled jobs kept', 1, math.huge)
for i = 4, #ARGV do
  argv_nonempty(i, 'a job id')
end
-- an ACTIVE job keeps its lease: it is not taken out of active
local sets = {DELAYED = DELAYED, BLOCKED = BLOCKED}
local out = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local job = job_of(id)
  if not job then
    out[#out + 1] = NOT_FOUND
  elseif can_move(job, 'CANCELLED') then
    if job.status == 'WAITING' then
      redis.call('LREM', waiting(level_of(job)), 1, id)
    elseif sets[job.status] then
      redis.call('ZREM', sets[job.status], id)
    end
    finish(id, job, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
    redis.call('HINCRBY', STATS, 'cancelled', 1)
    emit(id, 'cancelled')
    settle_children(id, job, 'CANCELLED', now)
    out[#out + 1] = JOB_CANCELLED
  else
    out[#out + 1] = ALREADY_FINISHED
  end
end
trim_finished(CANCELLED, now, retention_ms, max_kept)
return out
