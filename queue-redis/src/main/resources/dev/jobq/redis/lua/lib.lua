-- lib.lua: the helpers every script shares. The loader (Script.java) puts this file in front
-- of each script, so each script is still one EVALSHA and one atomic transition.
--
-- KEYS, the same list for every script, all keys of one queue under its hash tag {queue}:
--   1 the job hash prefix "P:{q}:job:" (a job's key is KEYS[1]..id: the one key a script
--     derives itself; it shares the hash tag, so the script stays in one Cluster slot)
--   2..5 wait:0..3 (ids by enqueue sequence, one set per priority level)
--   6 delayed (ids by due time)   7 active (ids by lease deadline)   8 blocked
--   9 failed  10 completed  11 cancelled (ids by finish time)
--   12 meta (seq, paused)  13 stats (counters)  14 rate (per-minute ring)
--   15 wait_ms  16 run_ms (latest samples)  17 wake (wake-up marker for idle workers)
--   18 events (the lifecycle stream, capped)
--   19 unique (uniqueness key to job id)  20 unique_until (uniqueness keys by window end)
--   21 schedules (recurring job definitions)  22 schedule_next (schedule names by next tick)
--   23 limits (scope to "max running,max started,per ms")  24 limit_state (rate windows, held)
-- Time is never read from the host: every script gets "now" (ms) as ARGV[1].

local JOB, DELAYED, ACTIVE, BLOCKED = KEYS[1], KEYS[6], KEYS[7], KEYS[8]
local FAILED, COMPLETED, CANCELLED = KEYS[9], KEYS[10], KEYS[11]
local META, STATS, RATE, WAIT_MS, RUN_MS, WAKE = KEYS[12], KEYS[13], KEYS[14], KEYS[15], KEYS[16], KEYS[17]
local EVENTS, UNIQUE, UNIQUE_UNTIL = KEYS[18], KEYS[19], KEYS[20]
local SCHEDULES, SCHEDULE_NEXT = KEYS[21], KEYS[22]
local LIMITS, LIMIT_STATE = KEYS[23], KEYS[24]
local SAMPLES_KEPT = 1000
local RATE_SLOTS = 120

-- How long a job cancelled on the way (a child of a failed parent, an escalated original) is
-- kept, and how many such: scripts that can cancel so set them from their ARGV.
local CANCELLED_MS, CANCELLED_KEPT = 0, math.huge

-- Refusals are small negative numbers; RedisBroker maps them to messages.
local NOT_FOUND, STALE = -1, -3

local function waiting(level)
  return KEYS[2 + level]
end

-- One marker, not one per job: an idle worker pops it, claims, and puts it back when jobs
-- remain, so a single marker wakes as many workers as there is work for.
local function wake()
  redis.call('LPUSH', WAKE, 1)
  redis.call('LTRIM', WAKE, 0, 0)
end

local function any_waiting()
  for level = 0, 3 do
    if redis.call('ZCARD', waiting(level)) > 0 then
      return true
    end
  end
  return false
end

-- Counts completions ('c') or failed attempts ('f'), n of them (default 1), in the slot of the
-- current minute.
local function count_rate(now, field, n)
  local minute = math.floor(now / 60000)
  local slot = minute % RATE_SLOTS
  if redis.call('HGET', RATE, 't' .. slot) ~= tostring(minute) then
    redis.call('HSET', RATE, 't' .. slot, minute, 'c' .. slot, 0, 'f' .. slot, 0)
  end
  redis.call('HINCRBY', RATE, field .. slot, n or 1)
end

-- Appends a lifecycle event: the job, what happened, when (the script's "now", so events and
-- job timestamps agree), then the event's own field/value pairs. The stream keeps about the
-- newest meta events_kept entries (default 10000; 0 writes none), trimmed as it grows.
local events_kept
local function emit(id, event, now, ...)
  if not events_kept then
    events_kept = tonumber(redis.call('HGET', META, 'events_kept') or '') or 10000
  end
  if events_kept > 0 then
    redis.call('XADD', EVENTS, 'MAXLEN', '~', events_kept, '*', 'job', id, 'event', event,
      'at', now, ...)
  end
end

local function sample(list, ms)
  redis.call('LPUSH', list, math.max(0, ms))
  redis.call('LTRIM', list, 0, SAMPLES_KEPT - 1)
end

-- Puts a job at the tail of its priority; its wait time is measured from "since". (A job that
-- waits from its enqueue has no enqueued_at: its wait starts at created_at.)
local function make_waiting(key, id, level, since)
  local seq = redis.call('HINCRBY', META, 'seq', 1)
  redis.call('HSET', key, 'status', 'WAITING', 'seq', seq, 'enqueued_at', since)
  redis.call('ZADD', waiting(level), seq, id)
end

-- A running job left ACTIVE: when a claim held a job back for a concurrency limit, idle
-- workers are woken to try again now that a slot is free.
local function freed_slot()
  if redis.call('HGET', LIMIT_STATE, 'held_running') then
    redis.call('HDEL', LIMIT_STATE, 'held_running')
    wake()
  end
end

-- With a retention, an index of finished jobs forgets what is older than the retention or
-- beyond max_kept (their hashes expire by themselves, or are deleted here when beyond max_kept).
local function trim_finished(index, now, retention_ms, max_kept)
  if retention_ms <= 0 then
    return
  end
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now - retention_ms)
  local excess = redis.call('ZCARD', index) - max_kept
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', index, 0, excess - 1)) do
      redis.call('DEL', JOB .. old)
    end
    redis.call('ZREMRANGEBYRANK', index, 0, excess - 1)
  end
end

-- Records a finished job in its index; with a retention the hash expires by itself.
local function finish(key, id, status, now, index, retention_ms, max_kept)
  redis.call('HSET', key, 'status', status, 'finished_at', now)
  redis.call('ZADD', index, now, id)
  if retention_ms > 0 then
    redis.call('PEXPIRE', key, retention_ms)
  end
  trim_finished(index, now, retention_ms, max_kept)
end

-- Deletes jobs with their entries in one set (at most a few thousand ids: unpack's limit).
local function delete_jobs(set, ids)
  for _, id in ipairs(ids) do
    redis.call('DEL', JOB .. id)
  end
  if #ids > 0 then
    redis.call('ZREM', set, unpack(ids))
  end
end

-- The key of a job that is ACTIVE under this lease token, when its attempt started and the
-- jobs waiting on it (read in the same call, for complete), or nil and the refusal code.
local function held(id, token)
  local key = JOB .. id
  local f = redis.call('HMGET', key, 'status', 'token', 'started_at', 'children')
  if not f[1] then
    return nil, NOT_FOUND
  end
  if f[1] ~= 'ACTIVE' or f[2] ~= token then
    return nil, STALE
  end
  return key, f[3], f[4]
end

-- Dependencies. A child lists its parents in 'deps' and counts those not yet ended in
-- 'deps_left'; each parent lists its children in 'children' (ids hold no commas), so both
-- expire with their hashes.

-- Registers a new job with its parents (comma-separated ids); returns how many it must still
-- wait for, and, when a parent already failed or was cancelled and the job does not run
-- anyway, why it is cancelled.
local function adopt(id, parents, anyway)
  local pending, doomed = 0, nil
  for parent in string.gmatch(parents, '[^,]+') do
    local pkey = JOB .. parent
    local f = redis.call('HMGET', pkey, 'status', 'children')
    if f[1] == 'FAILED' or f[1] == 'CANCELLED' then
      if not anyway then
        doomed = doomed or ('parent ' .. parent .. ' ended ' .. f[1])
      end
    elseif f[1] ~= 'COMPLETED' then
      pending = pending + 1
      redis.call('HSET', pkey, 'children', f[2] and (f[2] .. ',' .. id) or id)
    end
  end
  return pending, doomed
end

-- Tells the children of a job that just ended (status COMPLETED, FAILED or CANCELLED). A child
-- whose last parent this was becomes ready; after a failure or cancellation a child is
-- cancelled instead, naming the parent, unless it runs anyway, and so, in turn, its children.
local function settle_children(key, status, now, children)
  local todo = {{key, status, children}}
  local n = 1
  while n <= #todo do
    local pkey, pstatus, list = todo[n][1], todo[n][2], todo[n][3]
    n = n + 1
    list = list or redis.call('HGET', pkey, 'children')
    for child in string.gmatch(list or '', '[^,]+') do
      local ckey = JOB .. child
      local f = redis.call('HMGET', ckey, 'status', 'deps_anyway', 'pri', 'run_at')
      if f[1] == 'BLOCKED' then
        if pstatus == 'COMPLETED' or f[2] == '1' then
          if redis.call('HINCRBY', ckey, 'deps_left', -1) <= 0 then
            redis.call('ZREM', BLOCKED, child)
            local run_at = tonumber(f[4]) or 0
            if run_at > now then
              redis.call('HSET', ckey, 'status', 'DELAYED')
              redis.call('ZADD', DELAYED, run_at, child)
              emit(child, 'ready', now, 'status', 'DELAYED')
            else
              make_waiting(ckey, child, tonumber(f[3]) or 2, now)
              emit(child, 'ready', now, 'status', 'WAITING')
            end
            wake()
          end
        else
          redis.call('ZREM', BLOCKED, child)
          redis.call('HSET', ckey, 'error_class', 'dev.jobq.ParentFailed',
            'error', 'parent ' .. string.sub(pkey, #JOB + 1) .. ' ended ' .. pstatus)
          finish(ckey, child, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
          redis.call('HINCRBY', STATS, 'cancelled', 1)
          emit(child, 'cancelled', now, 'error', 'parent ' .. string.sub(pkey, #JOB + 1) .. ' ended ' .. pstatus)
          todo[#todo + 1] = {ckey, 'CANCELLED'}
        end
      end
    end
  end
end

-- Ends a failed attempt of an active job: back to the delayed set when delay_ms >= 0 and an
-- attempt is left (1); else, when the caller already enqueued the job that takes over from it
-- (escalated_to: its queue/id), cancelled with that link (3); else dead-lettered to the failed
-- set (2), where it stays until retried or purged unless failed_ms (a retention) is above 0.
-- The attempt's event is 'failed' (the handler failed) or 'stalled' (its lease ran out), then
-- 'retrying', 'escalated' or 'dead-lettered'.
local function fail_attempt(key, id, now, error_class, message, stack, delay_ms, event,
    escalated_to, failed_ms)
  redis.call('ZREM', ACTIVE, id)
  freed_slot()
  redis.call('HINCRBY', STATS, 'failed', 1)
  count_rate(now, 'f')
  local f = redis.call('HMGET', key, 'started_at', 'attempt', 'max_attempts')
  sample(RUN_MS, now - (tonumber(f[1]) or now))
  redis.call('HSET', key, 'error_class', error_class, 'error', message, 'stack', stack)
  emit(id, event or 'failed', now, 'attempt', f[2] or '0', 'error', error_class .. ': ' .. message)
  if delay_ms >= 0 and (tonumber(f[2]) or 0) < (tonumber(f[3]) or 1) then
    redis.call('HSET', key, 'status', 'DELAYED', 'run_at', now + delay_ms)
    redis.call('ZADD', DELAYED, now + delay_ms, id)
    redis.call('HINCRBY', STATS, 'retried', 1)
    emit(id, 'retrying', now, 'run_at', now + delay_ms)
    -- idle workers sleep until the next due job they know of; this one may be sooner
    wake()
    return 1
  end
  if escalated_to and escalated_to ~= '' and escalated_to ~= '-' then
    redis.call('HSET', key, 'escalated_to', escalated_to)
    finish(key, id, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
    redis.call('HINCRBY', STATS, 'escalated', 1)
    emit(id, 'escalated', now, 'to', escalated_to)
    settle_children(key, 'CANCELLED', now)
    return 3
  end
  finish(key, id, 'FAILED', now, FAILED, failed_ms or 0, math.huge)
  redis.call('HINCRBY', STATS, 'dead', 1)
  emit(id, 'dead-lettered', now)
  settle_children(key, 'FAILED', now)
  return 2
end

