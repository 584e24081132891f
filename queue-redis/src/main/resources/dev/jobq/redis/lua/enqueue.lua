-- enqueue.lua: adds jobs to the queue, one or a whole batch in one call.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 the number of jobs, 3 retention of cancelled jobs (ms), 4 how many
--   cancelled jobs to keep at most (for a job cancelled at once because a parent failed), then
--   per job: id, type, payload (JSON), priority level (0 CRITICAL .. 3 LOW), max attempts, run
--   at (ms; at or before now means run now), the number of options n, then n option names
--   each followed by its value:
--     backoff     retry backoff spec (absent: the worker's default)
--     timeout_ms  run time limit (absent: the worker's default)
--     headers     a JSON object of strings
--     escalate    escalation, JSON {type, queue, priority}
--     deps        the ids of the jobs it depends on, comma-separated; one earlier in the batch
--                 that duplicated a live uniqueness key stands for the job holding the key
--     deps_anyway '1' to run even if a parent fails (absent: cancelled with it)
--     unique      uniqueness key          unique_ms  its window (ms); both or neither
--     replace     '1' to replace a finished job (COMPLETED, FAILED, CANCELLED) still kept
--                 under the id (absent: the finished job is answered, as for a resend)
--   then, for the one job of a schedule, the schedule's name and how it fires: 'tick', the
--   tick it must still be due at (ms) and its next tick (ms); or 'trigger' and the schedule's
--   definition as read (by hand: the schedule must still have that definition in schedules,
--   so that a replacement meanwhile wins; its next tick stays). Either way the firing is
--   recorded as the schedule's last in schedule_last: JSON {at (now, ms), job (its id),
--   created (true/false), triggered (true/false)}
-- Output: {TICK_TAKEN} when the schedule's tick was already fired (by another worker) or the
--   schedule is gone (or, for a trigger, replaced); {UNKNOWN_PARENT, job id, parent id} when
--   a parent is neither in the queue nor earlier in the batch; when the queue has a maximum
--   depth (meta max_depth) that the new jobs would pass: {QUEUE_FULL, depth, maximum}; either
--   way nothing is written (the codes, -7, -6 and -5, are Reply.java's). Otherwise per job
--   {created (1, or 0 when the id names a job left untouched: unfinished, or finished and not
--   replaced), status, position (jobs ahead of it, -1 unless waiting)}, and, for a duplicate of
--   a live uniqueness key, fourth, the id of the job that holds the key; then, last, the
--   completions of the last five minutes (for the wait estimate). Input that breaks these
--   rules (lib.lua's checks: ids and types as Names.java allows, levels 0..3, max attempts
--   1..1000, run at within 5 years, timeout_ms within 7 days, unique_ms within 30 days, known
--   option names, headers a JSON object of strings) is refused with an error naming the job,
--   the field and the value, and nothing is written.
check_keys(0)
local now = whole(ARGV[1], 'now (ms)', 0, MAX_MS)
local count = whole(ARGV[2], 'the number of jobs', 0, MAX_MS)
CANCELLED_MS = whole(ARGV[3], 'the retention of cancelled jobs (ms)', 0, MAX_MS)
CANCELLED_KEPT = whole(ARGV[4], 'the number of cancelled jobs kept', 1, math.huge)
local finished_index = {COMPLETED = COMPLETED, FAILED = FAILED, CANCELLED = CANCELLED}
-- options kept on the job as given
local STORED = {backoff = true, timeout_ms = true, headers = true, escalate = true}
-- how deep a job already waiting is looked for to answer its position
local POSITION_SCAN = 10000

-- The options a job may carry, each checking its value.
local function parents(v, what)
  local n = 0
  for parent in string.gmatch(nonempty(v, what) .. ',', '([^,]*),') do
    job_id(parent, 'a parent id in ' .. what)
    n = n + 1
  end
  if n > MAX_PARENTS then
    refuse(what, v, 'at most ' .. MAX_PARENTS .. ' parent ids')
  end
end
local OPTIONS = {
  backoff = nonempty,
  timeout_ms = function(v, what) whole(v, what, 1, MAX_TIMEOUT_MS) end,
  headers = function(v, what) json_object(v, what, true) end,
  escalate = function(v, what)
    local _, o = json_object(v, what)
    for _, field in ipairs({'type', 'queue'}) do
      local f = o[field]
      if f ~= nil and f ~= cjson.null and type(f) ~= 'string' then
        refuse(what, v, 'a JSON object whose type and queue are strings (or null)')
      end
    end
  end,
  deps = parents,
  deps_anyway = function(v, what) one_of(v, what, {'1'}) end,
  unique = function(v, what)
    if v == nil or #v > MAX_NAME or not string.find(v, '^[!-~]+$') then
      refuse(what, v, 'printable ASCII without spaces, 1..' .. MAX_NAME .. ' characters')
    end
  end,
  unique_ms = function(v, what) whole(v, what, 1, MAX_UNIQUE_MS) end,
  replace = function(v, what) one_of(v, what, {'1'}) end,
}
local OPTION_NAMES = {}
for name in pairs(OPTIONS) do
  OPTION_NAMES[#OPTION_NAMES + 1] = name
end
table.sort(OPTION_NAMES)

-- the requests: where each starts in ARGV, its id and options; each checked whole before
-- anything is written
local starts, ids, options = {}, {}, {}
local a, at = 5, 0
input_owner = function()
  return 'job ' .. at .. ' (id ' .. shown(ARGV[starts[at]]) .. ')'
end
for i = 1, count do
  at, starts[i] = i, a
  if #ARGV < a + 6 then
    check_count(false, 'at least 7 values for job ' .. i .. ' (of ' .. count .. ')')
  end
  ids[i] = job_id(ARGV[a], 'id')
  job_type(ARGV[a + 1], 'type')
  text(ARGV[a + 2], 'payload')
  whole(ARGV[a + 3], 'priority level', 0, 3)
  whole(ARGV[a + 4], 'max attempts', 1, MAX_ATTEMPTS)
  -- the host's clock, which JobRequest checked a run-at time against, may be a little ahead
  whole(ARGV[a + 5], 'run at (ms)', 0, now + MAX_DELAY_MS + 86400000)
  local n = whole(ARGV[a + 6], 'the number of options', 0, #OPTION_NAMES)
  if #ARGV < a + 6 + 2 * n then
    check_count(false, 2 * n .. ' option values for job ' .. i)
  end
  if n > 0 then
    local o = {}
    for k = a + 7, a + 5 + 2 * n, 2 do
      local check = OPTIONS[ARGV[k]]
      if not check then
        refuse('option name', ARGV[k], table.concat(OPTION_NAMES, ', '))
      end
      check(ARGV[k + 1], 'option ' .. ARGV[k])
      o[ARGV[k]] = ARGV[k + 1]
    end
    if (o.unique == nil) ~= (o.unique_ms == nil) then
      refuse('option unique', o.unique, 'unique and unique_ms together')
    end
    options[i] = o
  end
  a = a + 7 + 2 * n
end
input_owner = nil
local tick = a
local fires = ARGV[tick + 1]
local tail = {tick = 4, trigger = 3}
if #ARGV ~= tick - 1 and #ARGV ~= tick - 1 + (tail[fires] or -1) then
  check_count(false, (tick - 1) .. ' for ' .. count .. ' job(s), then for a schedule\'s job'
    .. ' 4 more (name, tick, due, next) or 3 (name, trigger, definition)')
end
if ARGV[tick] then
  if count ~= 1 then
    refuse('the number of jobs', tostring(count), "1 for a schedule's job")
  end
  nonempty(ARGV[tick], "the schedule's name")
  if fires == 'tick' then
    whole(ARGV[tick + 2], "the tick it must be due at (ms)", 0, MAX_MS)
    whole(ARGV[tick + 3], "the schedule's next tick (ms)", 0, MAX_MS)
  else
    nonempty(ARGV[tick + 2], "the schedule's definition")
  end
end

-- the tick is taken here, but only moved on below, once nothing else can refuse the batch
if fires == 'tick'
    and tonumber(redis.call('ZSCORE', SCHEDULE_NEXT, ARGV[tick])) ~= tonumber(ARGV[tick + 2]) then
  return {TICK_TAKEN}
end
if fires == 'trigger' and redis.call('HGET', SCHEDULES, ARGV[tick]) ~= ARGV[tick + 2] then
  return {TICK_TAKEN}
end

load_jobs(ids)

local earlier = {}
for i = 1, count do
  local o = options[i]
  for parent in string.gmatch(o and o.deps or '', '[^,]+') do
    if not earlier[parent] and not job_of(parent) then
      return {UNKNOWN_PARENT, ids[i], parent}
    end
  end
  earlier[ids[i]] = true
end

-- an id names a job that stays (answered, not created again) while that job has not
-- finished, and once finished for as long as it is kept, unless the request replaces it
local function stays(job, o)
  return job and job.status and (not finished_index[job.status] or not (o and o.replace))
end

local sizes = {}
for level = 0, 3 do
  sizes[level] = redis.call('LLEN', waiting(level))
end

local max_depth = tonumber(redis.call('HGET', META, 'max_depth') or '0')
if max_depth > 0 then
  local depth = redis.call('ZCARD', DELAYED) + sizes[0] + sizes[1] + sizes[2] + sizes[3]
  local new = 0
  for i = 1, count do
    if not stays(jobs[ids[i]], options[i]) then
      new = new + 1
    end
  end
  if new > 0 and depth + new > max_depth then
    return {QUEUE_FULL, depth, max_depth}
  end
end

local created = 0
local out, levels, ranks, answered = {}, {}, {}, {}
-- a job of this batch that was not written because another job holds its uniqueness key: its
-- children in the batch wait for that job instead
local held_by = {}
-- new waiting ids per level: one RPUSH per level, not one per job
local new_waiting = {[0] = {}, {}, {}, {}}
-- a job cancelled at once (a parent failed): the cancelled index is trimmed after the batch,
-- never during it, since a later job of the batch may name a cancelled job as its parent
local any_doomed = false

-- The job that holds a uniqueness key still in its window, if that job still exists.
local function holder_of(ukey)
  if not ukey then
    return nil
  end
  local until_ms = tonumber(redis.call('ZSCORE', UNIQUE_UNTIL, ukey))
  if not until_ms or until_ms <= now then
    return nil
  end
  local holder = redis.call('HGET', UNIQUE, ukey)
  local job = holder and job_of(holder)
  if job and job.status then
    return holder, job
  end
end

-- Windows that ended are forgotten as later unique jobs come: more than the call adds (up to
-- twice, plus 100), so that their number keeps up with any enqueue rate and a backlog shrinks.
local uniques = 0
for i = 1, count do
  if options[i] and options[i].unique then
    uniques = uniques + 1
  end
end
if uniques > 0 then
  forget_windows(now, uniques + math.min(uniques, 1000) + 100)
end

-- Makes the job of request i (whose options are o, or nil) and says where it went.
local function create(i, id, o)
  local s = starts[i]
  local level = tonumber(ARGV[s + 3])
  -- no attempt, token or enqueued_at: absent counts as 0, and a job that waits from the start
  -- waits since created_at (lib.lua): a smaller job, written faster. A finished job replaced
  -- hands on its token, so that no claim of the new job repeats one (claim.lua), and one
  -- cancelled while it ran gives up the lease it kept (cancel.lua).
  local old = jobs[id] or {}
  local job = {type = ARGV[s + 1], payload = ARGV[s + 2], pri = level,
    max_attempts = tonumber(ARGV[s + 4]), created_at = now, token = old.token}
  if old.status == 'CANCELLED' then
    end_cancelled_lease(id)
  end
  local run_at = tonumber(ARGV[s + 5])
  local pending, doomed = 0, nil
  if o then
    for name, value in pairs(o) do
      if STORED[name] then
        job[name] = name == 'timeout_ms' and tonumber(value) or value
      end
    end
    if o.deps then
      local deps = string.gsub(o.deps, '[^,]+', held_by)
      pending, doomed = adopt(id, deps, o.deps_anyway == '1')
      job.deps, job.deps_left, job.deps_anyway = deps, pending, o.deps_anyway
      if run_at > now then
        -- kept while blocked: once ready, the job is delayed until then
        job.run_at = run_at
      end
    end
  end
  if doomed then
    -- blocked by its parents, and cancelled at once: one of them ended without completing
    new_job(id, job, 'BLOCKED')
    job.finished_at, job.error_class, job.error = now, 'dev.jobq.ParentFailed', doomed
    move(id, job, 'CANCELLED')
    redis.call('ZADD', CANCELLED, now, id)
    redis.call('HINCRBY', STATS, 'cancelled', 1)
  elseif pending > 0 then
    new_job(id, job, 'BLOCKED')
    redis.call('ZADD', BLOCKED, now, id)
  elseif run_at > now then
    job.run_at = run_at
    new_job(id, job, 'DELAYED')
    redis.call('ZADD', DELAYED, run_at, id)
  else
    new_job(id, job, 'WAITING')
    if o and o.deps then
      -- ready at once, its parents all done: not a job that waits from its creation (lib.lua)
      job.enqueued_at = now
    end
    local adds = new_waiting[level]
    adds[#adds + 1] = id
    ranks[i] = sizes[level]
    sizes[level] = sizes[level] + 1
  end
  save(id, job)
  if o and o.unique then
    redis.call('HSET', UNIQUE, o.unique, id)
    redis.call('ZADD', UNIQUE_UNTIL, now + (tonumber(o.unique_ms) or 0), o.unique)
  end
  emit(id, 'enqueued', 'status', job.status)
  if doomed then
    emit(id, 'cancelled', 'error', doomed)
    any_doomed = true
  end
  levels[i] = level
  out[i] = {1, job.status}
  created = created + 1
end

for i = 1, count do
  local id, o = ids[i], options[i]
  local job = jobs[id]
  local holder, holder_job = holder_of(o and o.unique)
  answered[i] = id
  if stays(job, o) then
    levels[i] = level_of(job)
    out[i] = {0, job.status}
  elseif holder then
    levels[i] = level_of(holder_job)
    answered[i] = holder
    held_by[id] = holder
    out[i] = {0, holder_job.status}
  else
    if job and job.status then
      -- a finished job replaced, as the request asked: the new job takes its id
      redis.call('ZREM', finished_index[job.status], id)
      if job.status == 'FAILED' then
        drop_failures({id})
      end
    end
    create(i, id, o)
  end
end

if fires == 'tick' then
  redis.call('ZADD', SCHEDULE_NEXT, ARGV[tick + 3], ARGV[tick])
end
if fires then
  redis.call('HSET', SCHEDULE_LAST, ARGV[tick], cjson.encode({at = now, job = answered[1],
    created = out[1][1] == 1, triggered = fires == 'trigger'}))
end

if any_doomed then
  trim_finished(CANCELLED, now, CANCELLED_MS, CANCELLED_KEPT)
end

for level = 0, 3 do
  chunked('RPUSH', waiting(level), new_waiting[level])
end

if created > 0 then
  redis.call('HINCRBY', STATS, 'enqueued', created)
  wake()
end

-- positions once the whole batch is in, so each answer is true when the call returns; a job
-- that already waited deeper than POSITION_SCAN is placed at the end of its priority
for i = 1, count do
  if out[i][2] == 'WAITING' then
    local level = levels[i]
    local rank = ranks[i]
      or redis.call('LPOS', waiting(level), answered[i], 'MAXLEN', POSITION_SCAN)
      or sizes[level] - 1
    for l = 0, level - 1 do
      rank = rank + sizes[l]
    end
    out[i][3] = rank
  else
    out[i][3] = -1
  end
  if answered[i] ~= ids[i] then
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
