-- enqueue.lua: adds jobs to the queue, one or a whole batch in one call.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 the number of jobs, 3 retention of cancelled jobs (ms), 4 how many
--   cancelled jobs to keep at most (for a job cancelled at once because a parent failed), then
--   14 values per job:
--   id, type, payload (JSON), priority level (0 CRITICAL .. 3 LOW), max attempts,
--   backoff spec ('' for the worker's default), timeout ms ('' for the worker's default),
--   run at (ms; at or before now means run now), the ids of the jobs it depends on
--   (comma-separated, '' for none; one earlier in the batch that duplicated a live uniqueness
--   key stands for the job holding the key), '1' to run even if a parent fails ('' to be
--   cancelled), uniqueness key ('' for none), its window (ms), headers (a JSON object, '' for
--   none), escalation (JSON {type, queue, priority}, '' for none);
--   then, for the job of a schedule's tick, the schedule's name, the tick it must still be due
--   at (ms) and its next tick (ms)
-- Output: {-7} when the schedule's tick was already fired (by another worker) or the schedule
--   is gone; {-6, job id, parent id} when a parent is neither in the queue nor earlier in the
--   batch; when the queue has a maximum depth (meta max_depth) that the new jobs would pass:
--   {-5, depth, maximum}; either way nothing is written. Otherwise per job {created (1, or 0 when the id names an unfinished job, left untouched),
--   status, position (jobs ahead of it, -1 unless waiting)}, and, for a duplicate of a live
--   uniqueness key, fourth, the id of the job that holds the key; then, last, the completions of
--   the last five minutes (for the wait estimate).
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local out = {}
local levels = {}

local finished_index = {COMPLETED = COMPLETED, FAILED = FAILED, CANCELLED = CANCELLED}
local QUEUE_FULL, UNKNOWN_PARENT, TICK_TAKEN = -5, -6, -7
local STRIDE = 14
local FIRST = 5
CANCELLED_MS, CANCELLED_KEPT = tonumber(ARGV[3]), tonumber(ARGV[4])
-- fields stored only when given: hash field to its place among a job's values
local OPTIONAL = {backoff = 5, timeout_ms = 6, headers = 12, escalate = 13}

-- the tick is taken here, but only moved on below, once nothing else can refuse the batch
local tick = FIRST + count * STRIDE
if ARGV[tick] and tonumber(redis.call('ZSCORE', SCHEDULE_NEXT, ARGV[tick])) ~= tonumber(ARGV[tick + 1]) then
  return {TICK_TAKEN}
end

local earlier = {}
for i = 0, count - 1 do
  local a = FIRST + i * STRIDE
  for parent in string.gmatch(ARGV[a + 8], '[^,]+') do
    if not earlier[parent] and redis.call('EXISTS', JOB .. parent) == 0 then
      return {UNKNOWN_PARENT, ARGV[a], parent}
    end
  end
  earlier[ARGV[a]] = true
end

local max_depth = tonumber(redis.call('HGET', META, 'max_depth') or '0')
if max_depth > 0 then
  local depth = redis.call('ZCARD', DELAYED)
  for level = 0, 3 do
    depth = depth + redis.call('ZCARD', waiting(level))
  end
  local new = 0
  for i = 0, count - 1 do
    local status = redis.call('HGET', JOB .. ARGV[FIRST + i * STRIDE], 'status')
    if not status or finished_index[status] then
      new = new + 1
    end
  end
  if new > 0 and depth + new > max_depth then
    return {QUEUE_FULL, depth, max_depth}
  end
end

-- Counted once and kept here rather than asked of Redis per job: a batch of thousands stays
-- three commands per job.
local sizes = {}
for level = 0, 3 do
  sizes[level] = redis.call('ZCARD', waiting(level))
end
local seq = tonumber(redis.call('HGET', META, 'seq') or '0')
local created = 0
local ranks = {}
local answered = {}
-- a job of this batch that was not written because another job holds its uniqueness key: its
-- children in the batch wait for that job instead
local held_by = {}
-- new waiting jobs per level, score/id pairs: one ZADD per level and chunk, not one per job
local new_waiting = {[0] = {}, {}, {}, {}}

-- The job that holds a uniqueness key still in its window, if that job still exists.
local function holder_of(ukey)
  if ukey == '' then
    return nil
  end
  local until_ms = tonumber(redis.call('ZSCORE', UNIQUE_UNTIL, ukey))
  if not until_ms or until_ms <= now then
    return nil
  end
  local holder = redis.call('HGET', UNIQUE, ukey)
  local f = holder and redis.call('HMGET', JOB .. holder, 'status', 'pri')
  if f and f[1] then
    return holder, f[1], tonumber(f[2])
  end
end

-- Windows that ended are forgotten as later unique jobs come, a bounded number per call.
for i = 0, count - 1 do
  if ARGV[FIRST + i * STRIDE + 10] ~= '' then
    local ended = redis.call('ZRANGEBYSCORE', UNIQUE_UNTIL, '-inf', now, 'LIMIT', 0, 100)
    if #ended > 0 then
      redis.call('HDEL', UNIQUE, unpack(ended))
      redis.call('ZREM', UNIQUE_UNTIL, unpack(ended))
    end
    break
  end
end

for i = 0, count - 1 do
  local a = FIRST + i * STRIDE
  local id, level = ARGV[a], tonumber(ARGV[a + 3])
  local key = JOB .. id
  local status = redis.call('HGET', key, 'status')
  local holder, holder_status, holder_level = holder_of(ARGV[a + 10])
  answered[i + 1] = id
  if status and not finished_index[status] then
    levels[i + 1] = tonumber(redis.call('HGET', key, 'pri'))
    out[i + 1] = {0, status}
  elseif holder then
    levels[i + 1] = holder_level
    answered[i + 1] = holder
    held_by[id] = holder
    out[i + 1] = {0, holder_status}
  else
    if status then
      -- a finished job's id may be used again: the new job replaces it
      redis.call('ZREM', finished_index[status], id)
      redis.call('DEL', key)
    end
    -- no id, attempt, token or enqueued_at: the key names the job, absent counts as 0, and a
    -- job that waits from the start waits since created_at (lib.lua): a smaller hash, written
    -- faster
    local fields = {'type', ARGV[a + 1], 'payload', ARGV[a + 2], 'pri', level,
      'max_attempts', ARGV[a + 4], 'created_at', now}
    for field, offset in pairs(OPTIONAL) do
      if ARGV[a + offset] ~= '' then
        fields[#fields + 1] = field
        fields[#fields + 1] = ARGV[a + offset]
      end
    end
    local run_at = tonumber(ARGV[a + 7])
    local pending, doomed = 0, nil
    if ARGV[a + 8] ~= '' then
      local deps = string.gsub(ARGV[a + 8], '[^,]+', held_by)
      pending, doomed = adopt(id, deps, ARGV[a + 9] == '1')
      for _, v in ipairs({'deps', deps, 'deps_left', pending, 'deps_anyway', ARGV[a + 9]}) do
        fields[#fields + 1] = v
      end
      if run_at > now then
        -- kept while blocked: once ready, the job is delayed until then
        fields[#fields + 1] = 'run_at'
        fields[#fields + 1] = run_at
      end
    end
    if doomed then
      for _, v in ipairs({'status', 'CANCELLED', 'finished_at', now, 'error_class',
          'dev.jobq.ParentFailed', 'error', doomed}) do
        fields[#fields + 1] = v
      end
      redis.call('ZADD', CANCELLED, now, id)
      redis.call('HINCRBY', STATS, 'cancelled', 1)
      out[i + 1] = {1, 'CANCELLED'}
    elseif pending > 0 then
      fields[#fields + 1] = 'status'
      fields[#fields + 1] = 'BLOCKED'
      redis.call('ZADD', BLOCKED, now, id)
      out[i + 1] = {1, 'BLOCKED'}
    elseif run_at > now then
      for _, v in ipairs({'status', 'DELAYED', 'run_at', run_at}) do
        fields[#fields + 1] = v
      end
      redis.call('ZADD', DELAYED, run_at, id)
      out[i + 1] = {1, 'DELAYED'}
    else
      seq = seq + 1
      fields[#fields + 1] = 'status'
      fields[#fields + 1] = 'WAITING'
      fields[#fields + 1] = 'seq'
      fields[#fields + 1] = seq
      local adds = new_waiting[level]
      adds[#adds + 1] = seq
      adds[#adds + 1] = id
      ranks[i + 1] = sizes[level]
      sizes[level] = sizes[level] + 1
      out[i + 1] = {1, 'WAITING'}
    end
    redis.call('HSET', key, unpack(fields))
    if doomed and CANCELLED_MS > 0 then
      redis.call('PEXPIRE', key, CANCELLED_MS)
    end
    if ARGV[a + 10] ~= '' then
      redis.call('HSET', UNIQUE, ARGV[a + 10], id)
      redis.call('ZADD', UNIQUE_UNTIL, now + tonumber(ARGV[a + 11]), ARGV[a + 10])
    end
    emit(id, 'enqueued', now, 'status', out[i + 1][2])
    if doomed then
      emit(id, 'cancelled', now, 'error', doomed)
    end
    levels[i + 1] = level
    created = created + 1
  end
end

if ARGV[tick] then
  redis.call('ZADD', SCHEDULE_NEXT, ARGV[tick + 2], ARGV[tick])
end

for level = 0, 3 do
  local adds = new_waiting[level]
  for from = 1, #adds, 1000 do
    redis.call('ZADD', waiting(level), unpack(adds, from, math.min(#adds, from + 999)))
  end
end

if created > 0 then
  redis.call('HSET', META, 'seq', seq)
  redis.call('HINCRBY', STATS, 'enqueued', created)
  wake()
end

-- positions once the whole batch is in, so each answer is true when the call returns
for i = 1, count do
  if out[i][2] == 'WAITING' then
    local level = levels[i]
    local rank = ranks[i] or redis.call('ZRANK', waiting(level), answered[i])
    for l = 0, level - 1 do
      rank = rank + sizes[l]
    end
    out[i][3] = rank
  else
    out[i][3] = -1
  end
  if answered[i] ~= ARGV[FIRST + (i - 1) * STRIDE] then
    out[i][4] = answered[i]
  end
end

local recent = 0
local minute = math.floor(now / 60000)
for m = minute - 4, minute do
  local slot = m % RATE_SLOTS
  local f = redis.call('HMGET', RATE, 't' .. slot, 'c' .. slot)
  if f[1] == tostring(m) then
    recent = recent + tonumber(f[2])
  end
end
out[count + 1] = recent
return out
