-- cancel.lua: cancels jobs that have not finished. A waiting, delayed or blocked job leaves
-- its set; an active one is marked CANCELLED at once and its worker learns it at its next
-- lease renewal (its late outcome is refused as stale).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of cancelled jobs (ms), 3 how many to keep at most, 4.. ids
-- Output: per id 1 (cancelled), 2 (already finished: unchanged), 0 (no such job)
local now = tonumber(ARGV[1])
CANCELLED_MS, CANCELLED_KEPT = tonumber(ARGV[2]), tonumber(ARGV[3])
local sets = {DELAYED = DELAYED, ACTIVE = ACTIVE, BLOCKED = BLOCKED}
local out = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local key = JOB .. id
  local f = redis.call('HMGET', key, 'status', 'pri')
  if not f[1] then
    out[#out + 1] = 0
  elseif f[1] == 'WAITING' or sets[f[1]] then
    redis.call('ZREM', f[1] == 'WAITING' and waiting(tonumber(f[2])) or sets[f[1]], id)
    if f[1] == 'ACTIVE' then
      freed_slot()
    end
    finish(key, id, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
    redis.call('HINCRBY', STATS, 'cancelled', 1)
    emit(id, 'cancelled', now)
    settle_children(key, 'CANCELLED', now)
    out[#out + 1] = 1
  else
    out[#out + 1] = 2
  end
end
return out
