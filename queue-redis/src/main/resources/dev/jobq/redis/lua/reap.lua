-- reap.lua: fails the attempts of jobs whose lease expired (their worker died or stalled).
-- The caller read the candidates and computed each one's retry delay from its own policy;
-- this script re-checks each under the same token, so several reapers at once do no harm.
-- An expired lease that a cancelled job kept (cancel.lua) just ends, no attempt failed; an id
-- whose job is missing or cannot be read (no map, no status) leaves active, counted in stats
-- as 'orphans', instead of holding a running slot for ever.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 how long a dead-lettered job is kept (ms; 0: until retried or purged),
--   3 and 4 how long a cancelled job (an escalated original, a child of a failed parent) is
--   kept (ms) and how many at most, then per job: id, lease token ('' when the caller found
--   no job it could read), retry delay (ms; -1 when no attempt is left), and for a job with
--   an escalation on its last attempt: '' to ask, '-' to dead-letter it anyway, or the
--   queue/id of the job already enqueued to take over
-- Output: {how many jobs were reaped, how many ids without a readable job left active, then
--   the ids left alone because they escalate: the caller enqueues the job that takes over
--   from each and calls again with its queue/id}
check_keys(0)
check_count(#ARGV >= 4 and #ARGV % 4 == 0, '4, then 4 per job: id, lease token, delay, escalation')
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local failed_ms = whole(ARGV[2], 'the retention of failed jobs (ms)', 0, MAX_MS)
CANCELLED_MS = whole(ARGV[3], 'the retention of cancelled jobs (ms)', 0, MAX_MS)
CANCELLED_KEPT = whole(ARGV[4], 'the number of cancelled jobs kept', 1, math.huge)
for i = 5, #ARGV, 4 do
  argv_nonempty(i, 'a job id')
  if ARGV[i + 1] ~= '' then
    argv_whole(i + 1, 'a lease token', 0, MAX_MS)
  end
  argv_whole(i + 2, 'a retry delay (ms)', -1, MAX_DELAY_MS)
end
local out = {0, 0}
for i = 5, #ARGV, 4 do
  local id, delay, to = ARGV[i], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local job = held(id, ARGV[i + 1])
  local deadline = tonumber(redis.call('ZSCORE', ACTIVE, id))
  -- the job as held() read it: false when there is none, without a status when unreadable
  local found = jobs[id]
  if deadline and deadline <= now then
    if job then
      if to == '' and delay < 0 and job.escalate then
        out[#out + 1] = id
      else
        fail_attempt(id, job, now, 'dev.jobq.LeaseExpired', 'worker ' .. (job.worker or '?')
          .. ' stopped renewing its lease (it died, stalled or lost Redis)', '', delay,
          'stalled', to, failed_ms)
        redis.call('HINCRBY', STATS, 'stalled', 1)
        out[1] = out[1] + 1
      end
    elseif not found or not found.status then
      redis.call('ZREM', ACTIVE, id)
      freed_slot()
      redis.call('HINCRBY', STATS, 'orphans', 1)
      out[2] = out[2] + 1
    elseif found.status == 'CANCELLED' then
      end_cancelled_lease(id)
    end
  end
end
return out
