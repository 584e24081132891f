-- expire.lua: deletes finished jobs past their retention, as every completion, failure and
-- cancellation does for its own index; workers call it every minute so that a queue that went
-- quiet loses its old jobs too. At most a slice per index per call (trim_finished).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of completed jobs (ms), 3 how many finished jobs of a kind to
--   keep at most, 4 retention of failed jobs (ms; 0: until retried or purged), 5 retention of
--   cancelled jobs (ms)
-- Output: how many jobs were deleted
local now, max_kept = tonumber(ARGV[1]), tonumber(ARGV[3])
return trim_finished(COMPLETED, now, tonumber(ARGV[2]), max_kept)
  + trim_finished(FAILED, now, tonumber(ARGV[4]), math.huge)
  + trim_finished(CANCELLED, now, tonumber(ARGV[5]), max_kept)
