-- reap.lua: fails the attempts of jobs whose lease expired (their worker died or stalled).
-- The caller read the candidates and computed each one's retry delay from its own policy;
-- this script re-checks each under the same token, so several reapers at once do no harm.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 how long a dead-lettered job is kept (ms; 0: until retried or purged),
--   then per job: id, lease token, retry delay (ms; -1 when no attempt is left), and the
--   queue/id of the job already enqueued to take over from it ('' for none)
-- Output: how many jobs were reaped
local now = tonumber(ARGV[1])
local reaped = 0
local failed_ms = tonumber(ARGV[2])
for i = 3, #ARGV, 4 do
  local id = ARGV[i]
  local key = held(id, ARGV[i + 1])
  local deadline = tonumber(redis.call('ZSCORE', ACTIVE, id))
  if key and deadline and deadline <= now then
    local worker = redis.call('HGET', key, 'worker') or '?'
    fail_attempt(key, id, now, 'dev.jobq.LeaseExpired',
      'worker ' .. worker .. ' stopped renewing its lease (it died, stalled or lost Redis)',
      '', tonumber(ARGV[i + 2]), 'stalled', ARGV[i + 3],
      failed_ms)
    redis.call('HINCRBY', STATS, 'stalled', 1)
    reaped = reaped + 1
  end
end
return reaped
