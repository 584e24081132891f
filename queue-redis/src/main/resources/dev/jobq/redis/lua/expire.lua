-- expire.lua: deletes finished jobs past their retention, as every completion, failure and
-- cancellation does for its own index; workers call it every minute so that a queue that went
-- quiet loses its old jobs too. At most a slice per index per call (trim_finished). It
-- forgets up to 1000 uniqueness windows that ended, too (forget_windows).
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 retention of completed jobs (ms), 3 how many finished jobs of a kind to
--   keep at most, 4 retention of failed jobs (ms; 0: until retried or purged), 5 retention of
--   cancelled jobs (ms)
-- Output: how many jobs were deleted (forgotten windows are not counted)
check_keys(0)
check_count(#ARGV == 5, '5: now, completed retention, kept, failed retention, cancelled retention')
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local max_kept = whole(ARGV[3], 'the number of finished jobs kept', 1, math.huge)
local completed_ms = whole(ARGV[2], 'the retention of completed jobs (ms)', 0, MAX_MS)
local failed_ms = whole(ARGV[4], 'the retention of failed jobs (ms)', 0, MAX_MS)
local cancelled_ms = whole(ARGV[5], 'the retention of cancelled jobs (ms)', 0, MAX_MS)
forget_windows(now, 1000)
return trim_finished(COMPLETED, now, completed_ms, max_kept)
  + trim_finished(FAILED, now, failed_ms, math.huge)
  + trim_finished(CANCELLED, now, cancelled_ms, max_kept)
