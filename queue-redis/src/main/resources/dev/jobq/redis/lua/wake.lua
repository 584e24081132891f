-- wake.lua: wakes the queue's idle workers when jobs wait: for a worker that was woken but
-- will not claim (told to be quiet, or stopping), so that the one wake-up goes on to another.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms; unused)
-- Output: 1 when jobs wait (the marker is there), else 0
if any_waiting() then
  wake()
  return 1
end
return 0
