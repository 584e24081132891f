-- heartbeat.lua: the heartbeat of a worker's running jobs: extends their leases in one call.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 lease (ms), then pairs of job id and lease token
-- Output (Reply.java's codes): per job LEASE_HELD (1: lease extended), LEASE_LOST (0: another
--   token or gone; stop caring), LEASE_CANCELLED (2: cancelled while running: stop the
--   handler; the lease it keeps, and its slot under a running limit, is extended until the
--   worker reports, cancel.lua)
check_keys(0)
check_count(#ARGV >= 2 and #ARGV % 2 == 0, 'now, lease, then pairs of job id and lease token')
local now, lease = whole(ARGV[1], 'now (ms)', 0, MAX_MS), whole(ARGV[2], 'lease (ms)', 1, MAX_MS)
local ids = {}
for i = 3, #ARGV, 2 do
  ids[#ids + 1] = argv_nonempty(i, 'a job id')
  argv_whole(i + 1, 'a lease token', 0, MAX_MS)
end
load_jobs(ids)
local out, leases = {}, {}
local deadline = string.format('%d', now + lease)
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local job = jobs[id]
  if not job or tostring(job.token or 0) ~= token then
    out[#out + 1] = LEASE_LOST
  elseif job.status == 'ACTIVE' or job.status == 'CANCELLED' then
    leases[#leases + 1] = deadline
    leases[#leases + 1] = id
    out[#out + 1] = job.status == 'ACTIVE' and LEASE_HELD or LEASE_CANCELLED
  else
    out[#out + 1] = LEASE_LOST
  end
end
-- XX: a lease that ended meanwhile (reaped, say) is not made again
for from = 1, #leases, 2 * CHUNK do
  redis.call('ZADD', ACTIVE, 'XX', unpack(leases, from, math.min(#leases, from + 2 * CHUNK - 1)))
end
return out
