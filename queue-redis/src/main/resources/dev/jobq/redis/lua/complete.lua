-- complete.lua: ends active jobs successfully (each fenced by its lease token), one or a batch.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of completed jobs (ms), 3 how many completed jobs to keep at
--   most, 4 the number of jobs, then 3 values per job: id, lease token, result JSON ('' for none)
-- Output: per job 1, or -1 (no such job), -3 (not active under this token: nothing changed)
local now, retention_ms, max_kept = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local count = tonumber(ARGV[4])
local out = {}
local runs = {}
local done = 0

for i = 0, count - 1 do
  local a = 5 + i * 3
  local id, token, result = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local key, refusal_or_started, children = held(id, token)
  if not key then
    out[i + 1] = refusal_or_started
  else
    redis.call('ZREM', ACTIVE, id)
    if result ~= '' then
      redis.call('HSET', key, 'result', result, 'status', 'COMPLETED', 'finished_at', now)
    else
      redis.call('HSET', key, 'status', 'COMPLETED', 'finished_at', now)
    end
    redis.call('ZADD', COMPLETED, now, id)
    if retention_ms > 0 then
      redis.call('PEXPIRE', key, retention_ms)
    end
    runs[#runs + 1] = math.max(0, now - (tonumber(refusal_or_started) or now))
    emit(id, 'completed', now)
    if children then
      settle_children(key, 'COMPLETED', now, children)
    end
    done = done + 1
    out[i + 1] = 1
  end
end

-- What finish() and sample() do per job, done once for the whole batch.
if done > 0 then
  freed_slot()
  redis.call('LPUSH', RUN_MS, unpack(runs))
  redis.call('LTRIM', RUN_MS, 0, SAMPLES_KEPT - 1)
  redis.call('HINCRBY', STATS, 'completed', done)
  count_rate(now, 'c', done)
  trim_finished(COMPLETED, now, retention_ms, max_kept)
end
return out
