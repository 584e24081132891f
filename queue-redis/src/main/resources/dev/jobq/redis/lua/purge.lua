-- purge.lua: deletes completed, cancelled and failed jobs that finished before a cutoff, at
-- most a batch per call; the caller repeats until it answers 0.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 cutoff (ms: jobs finished at or before it go), 3 batch limit
-- Output: how many jobs were deleted
check_keys(0)
check_count(#ARGV == 3, '3: now, cutoff (ms), batch limit')
whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local cutoff = whole(ARGV[2], 'cutoff (ms)', -MAX_MS, MAX_MS)
local limit = whole(ARGV[3], 'batch limit', 1, MAX_MS)
local deleted = 0
for _, set in ipairs({COMPLETED, CANCELLED, FAILED}) do
  local ids = redis.call('ZRANGEBYSCORE', set, '-inf', cutoff, 'LIMIT', 0, limit)
  delete_jobs(set, ids)
  deleted = deleted + #ids
end
return deleted
