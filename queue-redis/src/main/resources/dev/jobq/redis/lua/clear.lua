-- clear.lua: deletes jobs that have not started: waiting, delayed and blocked (and failed
-- ones when asked). Active jobs are left to their workers. Deletes at most a batch per list or
-- set per call, so a huge queue never blocks Redis for long; the caller repeats until all is 0.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 dry run (1: count only), 3 include failed (1), 4 batch limit
-- Output: {waiting, delayed, blocked, failed} jobs deleted (or, on a dry run, that would be)
check_keys(0)
check_count(#ARGV == 4, '4: now, dry run, include failed, batch limit')
whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local dry = one_of(ARGV[2], 'dry run', {'0', '1'}) == '1'
local include_failed = one_of(ARGV[3], 'include failed', {'0', '1'}) == '1'
local limit = whole(ARGV[4], 'batch limit', 1, MAX_MS)

local function clear_set(set)
  if dry then
    return redis.call('ZCARD', set)
  end
  local ids = redis.call('ZRANGE', set, 0, limit - 1)
  delete_jobs(set, ids)
  return #ids
end

local function clear_list(list)
  if dry then
    return redis.call('LLEN', list)
  end
  local ids = redis.call('LRANGE', list, 0, limit - 1)
  for _, id in ipairs(ids) do
    delete_job(id)
  end
  redis.call('LTRIM', list, #ids, -1)
  return #ids
end

local w = 0
for level = 0, 3 do
  w = w + clear_list(waiting(level))
end
local failed = include_failed and clear_set(FAILED) or 0
return {w, clear_set(DELAYED), clear_set(BLOCKED), failed}
