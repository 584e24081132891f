-- wake.lua: wakes the queue's idle workers when jobs wait: for a worker that was woken but
-- will not claim (told to be quiet, or stopping), so that the one wake-up goes on to another.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms; unused)
-- Output: 1 when jobs wait (the marker is there), else 0
check_keys(0)
check_count(#ARGV == 1, '1: now')
whole(ARGV[1], 'now (ms)', 0, MAX_MS)
if any_waiting() then
  wake()
  return 1
end
return 0
