-- heartbeat.lua: the heartbeat of a worker's running jobs: extends their leases in one call.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 lease (ms), then pairs of job id and lease token
-- Output: per job 1 (held: lease extended), 0 (lost: another token or gone; stop caring),
--   2 (cancelled while running: stop the handler)
local now, lease = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local f = redis.call('HMGET', JOB .. id, 'status', 'token')
  if f[2] ~= token then
    out[#out + 1] = 0
  elseif f[1] == 'ACTIVE' then
    redis.call('ZADD', ACTIVE, 'XX', now + lease, id)
    out[#out + 1] = 1
  elseif f[1] == 'CANCELLED' then
    out[#out + 1] = 2
  else
    out[#out + 1] = 0
  end
end
return out
