-- retry_failed.lua: moves dead-lettered jobs back to waiting with fresh attempts (their last
-- error stays on the job until the next one replaces it).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 batch limit, 3.. ids; with no ids, the oldest failed jobs up to the limit
-- Output: how many jobs moved (ids that are not in the failed set are left alone; an id in it
--   whose job's status is not FAILED, a stray, is dropped from it and counted in 'orphans')
check_keys(0)
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local limit = whole(ARGV[2], 'batch limit', 1, MAX_MS)
local ids = {}
for i = 3, #ARGV do
  ids[#ids + 1] = argv_nonempty(i, 'a job id')
end
if #ids == 0 then
  ids = redis.call('ZRANGE', FAILED, 0, limit - 1)
end
load_jobs(ids)
local moved, strays, dropped = 0, 0, {}
for _, id in ipairs(ids) do
  if redis.call('ZREM', FAILED, id) == 1 then
    local job = jobs[id]
    if job and can_move(job, 'WAITING') then
      job.attempt, job.finished_at, job.run_at = nil, nil, nil
      make_waiting(id, job, now)
      emit(id, 'requeued')
      moved = moved + 1
    else
      -- no job, or a stray (its status says it is elsewhere): dropped, as claim drops one, so
      -- that it cannot stop retrying the rest of the queue, and its error in short with it
      dropped[#dropped + 1] = id
      strays = strays + (job and 1 or 0)
    end
  end
end
drop_failures(dropped)
if strays > 0 then
  redis.call('HINCRBY', STATS, 'orphans', strays)
end
if moved > 0 then
  wake()
end
return moved
