-- complete.lua: ends active jobs successfully (each fenced by its lease token), one or a batch.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of completed jobs (ms), 3 how many completed jobs to keep at
--   most, 4 the number of jobs, then 3 values per job: id, lease token, result JSON ('' for none)
-- Output: per job DONE (1), or NOT_FOUND (-1), STALE (-3: not active under this token,
--   nothing changed), DROPPED (-4: cancelled while it ran under this token: its lease, kept
--   until now, ends; the result is dropped); the codes are Reply.java's
check_keys(0)
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local retention_ms = whole(ARGV[2], 'the retention of completed jobs (ms)', 0, MAX_MS)
local max_kept = whole(ARGV[3], 'the number of completed jobs kept', 1, math.huge)
local count = whole(ARGV[4], 'the number of jobs', 0, MAX_MS)
if #ARGV ~= 4 + 3 * count then
  check_count(false, string.format('%d', 4 + 3 * count)
    .. ': 4, then id, lease token and result for each of ' .. count .. ' job(s)')
end
local ids = {}
for i = 0, count - 1 do
  ids[#ids + 1] = argv_nonempty(5 + i * 3, 'a job id')
  argv_whole(6 + i * 3, 'a lease token', 0, MAX_MS)
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
    job.finished_at = now
    move(id, job, 'COMPLETED')
    done[#done + 1] = id
    finished[#finished + 1] = ARGV[1]
    finished[#finished + 1] = id
    runs[#runs + 1] = math.max(0, now - (tonumber(job.started_at) or now))
    out[i + 1] = DONE
  end
end
if #done == 0 then
  return out
end

-- The indexes first, in one command each, then events and children.
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
