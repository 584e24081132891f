-- upgrade.lua: moves a queue written by jobq before 0.2 (a hash per job, the wait sets sorted
-- sets scored by a sequence) to this layout, a slice per call; `jobq doctor --repair` calls it
-- until it answers {0, 0, 0}. Workers and producers of the earlier version must be stopped.
-- KEYS: the queue's keys (lib.lua), then four more (27..30 today), a list per priority level
--   that holds the ids taken from its sorted wait set until the set is empty and the list
--   takes its name
-- ARGV: 1 now (ms), 2 batch limit, 3.. ids whose earlier job hashes to move (the caller finds
--   them with SCAN); each hash's key is "P:{q}:job:" and the id, derived from KEYS[1]
--   ("P:{q}:jobs"), inside the queue's hash tag
-- Output: {job hashes moved, waiting ids moved, sorted wait sets left}
check_keys(4)
-- the lists after the queue's keys, one per level
local function upgrading(level)
  return #KEY_NAMES + 1 + level
end
for level = 0, 3 do
  local i = upgrading(level)
  if KEYS[i] ~= waiting(level) .. ':upgrading' then
    refuse('KEYS[' .. i .. ']', KEYS[i], waiting(level) .. ':upgrading')
  end
end
whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local limit = whole(ARGV[2], 'batch limit', 1, MAX_MS)
for i = 3, #ARGV do
  argv_nonempty(i, 'a job id')
end
local OLD_JOB = string.sub(JOBS, 1, -5) .. 'job:'
-- fields that were text in a hash and are numbers in a job
local NUMBERS = {pri = true, attempt = true, max_attempts = true, token = true,
  timeout_ms = true, created_at = true, enqueued_at = true, run_at = true, started_at = true,
  finished_at = true, deps_left = true, progress_at = true}
-- fields the earlier layout kept that this one does without
local OLD_ONLY = {id = true, seq = true}

local moved = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local flat = redis.call('HGETALL', OLD_JOB .. id)
  if #flat > 0 and not job_of(id) then
    local job, has_seq = {}, false
    for f = 1, #flat, 2 do
      local name, value = flat[f], flat[f + 1]
      has_seq = has_seq or name == 'seq'
      if not OLD_ONLY[name] then
        job[name] = NUMBERS[name] and tonumber(value) or value
      end
    end
    -- the earlier layout marked a job that waited from its enqueue by a seq without an
    -- enqueued_at; this one tells it by its missing run_at and deps, which a job with parents
    -- that had all ended does not pass
    if job.enqueued_at == nil and job.deps and has_seq then
      job.enqueued_at = job.created_at
    end
    if job.attempt == 0 then
      job.attempt = nil
    end
    if job.token == 0 then
      job.token = nil
    end
    save(id, job)
    moved = moved + 1
  end
  redis.call('DEL', OLD_JOB .. id)
end

local ids_moved, sets_left = 0, 0
for level = 0, 3 do
  local set, list = waiting(level), KEYS[upgrading(level)]
  if redis.call('TYPE', set).ok == 'zset' then
    local popped = redis.call('ZPOPMIN', set, limit)
    local ids = {}
    for i = 1, #popped, 2 do
      ids[#ids + 1] = popped[i]
    end
    chunked('RPUSH', list, ids)
    ids_moved = ids_moved + #ids
    if redis.call('EXISTS', set) == 0 then
      redis.call('RENAME', list, set)
    else
      sets_left = sets_left + 1
    end
  end
end

if #ARGV == 2 and sets_left == 0 then
  redis.call('HDEL', META, 'seq')
end
return {moved, ids_moved, sets_left}
