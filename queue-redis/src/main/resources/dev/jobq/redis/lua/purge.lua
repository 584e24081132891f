-- purge.lua: deletes completed, cancelled and failed jobs that finished before a cutoff, at
-- most a batch per call; the caller repeats until it answers 0.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 cutoff (ms: jobs finished at or before it go), 3 batch limit
-- Output: how many jobs were deleted
local cutoff, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local deleted = 0
for _, set in ipairs({COMPLETED, CANCELLED, FAILED}) do
  local ids = redis.call('ZRANGEBYSCORE', set, '-inf', cutoff, 'LIMIT', 0, limit)
  delete_jobs(set, ids)
  deleted = deleted + #ids
end
return deleted
