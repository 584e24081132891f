-- complete.lua: ends active jobs successfully (each fenced by its lease token), one or a batch.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of completed jobs (ms), 3 how many completed jobs to keep at
--   most, 4 the number of jobs, then 3 values per job: id, lease token, result JSON ('' for none)
-- Output: per job 1, or -1 (no such job), -3 (not active under this token: nothing changed),
--   -4 (cancelled while it ran under this token: its lease, kept until now, ends; the result
--   is dropped)
local now, retention_ms, max_kept = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local count = tonumber(ARGV[4])
local ids = {}
for i = 0, count - 1 do
  ids[#ids + 1] = ARGV[5 + i * 3]
end
load_jobs(ids)

local out, runs, done, finished = {}, {}, {}, {}
for i = 0, count - 1 do
  local a = 5 + i * 3
  local id, token, result = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local job, refusal = reported(id, token)
  if not job then
    out[i + 1] = refusal
  else
    if result ~= '' then
      job.result = result
    end
    job.status, job.finished_at = 'COMPLETED', now
    save(id, job)
    done[#done + 1] = id
    finished[#finished + 1] = ARGV[1]
    finished[#finished + 1] = id
    runs[#runs + 1] = math.max(0, now - (tonumber(job.started_at) or now))
    out[i + 1] = 1
  end
end
if #done == 0 then
  return out
end

-- The indexes first, in one command each, then events and children: should a later command
-- fail, each COMPLETED job is already out of active and in completed.
chunked('ZREM', ACTIVE, done)
chunked('ZADD', COMPLETED, finished, 2)
for _, id in ipairs(done) do
  emit(id, 'completed')
  if jobs[id].children then
    settle_children(id, jobs[id], 'COMPLETED', now)
  end
end

-- What finish() and sample() do per job, done once for the whole batch.
freed_slot()
redis.call('LPUSH', RUN_MS, unpack(runs))
redis.call('LTRIM', RUN_MS, 0, SAMPLES_KEPT - 1)
redis.call('HINCRBY', STATS, 'completed', #done)
count_rate(now, 'c', #done)
trim_finished(COMPLETED, now, retention_ms, max_kept)
return out
