-- lib.lua: the helpers every script shares. The loader (Script.java) puts this file in front
-- of each script and runs the script as main(), then commit(): each script is still one
-- EVALSHA and one atomic transition.
--
-- In front of this file, Script.java puts locals that LuaPrelude.java generates from the Java
-- tables, so that each is written once:
--   KEYS, the same list for every script, all keys of one queue under its hash tag {queue}, in
--     QueueKey.java's order, each bound to a local named as its constant (JOBS, WAIT_0 ..
--     WAIT_3, DELAYED, ACTIVE, ... LIMIT_STATE; QueueKey.java says what each holds), and
--     KEY_NAMES, their names after the queue's base ('jobs', 'wait:0', ...) for check_keys
--   the reply codes, a local per constant of Reply.java (NOT_FOUND, STALE, DROPPED, ...)
--   MOVES and INITIAL, the status changes move() allows (JobStatus.java)
--   CLAIM_SCAN_WINDOW, how deep claim looks past jobs it may not take (WorkerBroker.java)
-- Time is never read from the host: every script gets "now" (ms) as ARGV[1].

local SAMPLES_KEPT = 1000
local RATE_SLOTS = 120
local RATE_DAY_SLOTS = 144
-- ids per command when a script sends many at once (Lua's unpack() has a limit)
local CHUNK = 1000

-- How long a job cancelled on the way (a child of a failed parent, an escalated original) is
-- kept, and how many such: scripts that can cancel so set them from their ARGV.
local CANCELLED_MS, CANCELLED_KEPT = 0, math.huge

-- Refusals are small negative numbers (Reply.java). DROPPED: the job was cancelled while it
-- ran, so its worker's outcome is dropped (and the lease it kept ends).

-- Jobs. A script reads a job once (job_of, or load_jobs for many in one HMGET), changes the
-- table, and marks it with save() or delete_job(); commit() writes every changed job in one
-- HSET and one HDEL when the script ends. A value that is not a MessagePack map (edited by
-- hand) reads as an empty job, which claim hands over and the worker dead-letters as malformed.
local jobs, dirty, packs = {}, {}, {}

local function decode(raw)
  if not raw then
    return false
  end
  local ok, job = pcall(cmsgpack.unpack, raw)
  return ok and type(job) == 'table' and job or {}
end

local function load_jobs(ids)
  local todo = {}
  for _, id in ipairs(ids) do
    if jobs[id] == nil then
      todo[#todo + 1] = id
    end
  end
  for from = 1, #todo, CHUNK do
    local to = math.min(#todo, from + CHUNK - 1)
    local raw = redis.call('HMGET', JOBS, unpack(todo, from, to))
    for i = from, to do
      jobs[todo[i]] = decode(raw[i - from + 1])
    end
  end
end

-- The job, or nil when there is none.
local function job_of(id)
  if jobs[id] == nil then
    jobs[id] = decode(redis.call('HGET', JOBS, id))
  end
  return jobs[id] or nil
end

local function save(id, job)
  jobs[id], dirty[id], packs[id] = job, true, nil
end

local function delete_job(id)
  jobs[id], dirty[id], packs[id] = false, true, nil
end

-- Status changes. Every change of a job's status goes through move(), and a new job's first
-- status through new_job(), checked against JobStatus's table (MOVES and INITIAL, generated in
-- front of this file). A job whose status its transition does not start from (its status and
-- the list or set its id was found in disagree) refuses the call with "ERR jobq: <script>: job
-- <id> cannot move from X to Y". A script whose moves are not settled by its own checks
-- (claim, retry_failed) calls check_move() for each before its first write, so that such a
-- refusal writes nothing.
local function refuse_move(id, from, to)
  error({err = 'ERR jobq: ' .. SCRIPT .. ': job ' .. id .. ' cannot move from '
    .. (from == nil and 'no status' or tostring(from)) .. ' to ' .. to
    .. '; its status and the list or set its id is in disagree (`jobq doctor` shows them)'})
end

local function can_move(job, to)
  local allowed = MOVES[job.status]
  return allowed ~= nil and allowed[to] == true
end

local function check_move(id, job, to)
  if not can_move(job, to) then
    refuse_move(id, job.status, to)
  end
end

-- Dead letters in short. Every FAILED job has a field in FAILED_ERRORS, its id, holding
-- "<finished_at>\n<the first line of its error>\n<error_class>" (the first line holds no newline,
-- so the class, last, may hold anything), so that grouping the newest failed jobs by error
-- (JobQueries.newestFailed) reads 15 bytes more than the error's first line and class per job
-- (some 40 bytes for a short error; about 100 bytes of Redis memory each) instead of the whole
-- job with its payload and stack. move() writes it as a job becomes FAILED and drops it as one
-- leaves; delete_jobs() drops those of jobs deleted from the failed set.
local function failure_summary(job)
  local finished = tonumber(job.finished_at)
  return (finished and string.format('%d', finished) or '') .. '\n'
    .. string.match(tostring(job.error or ''), '^[^\n]*') .. '\n' .. tostring(job.error_class or '')
end

local function move(id, job, to)
  check_move(id, job, to)
  if job.status == 'FAILED' then
    redis.call('HDEL', FAILED_ERRORS, id)
  end
  job.status = to
  save(id, job)
  if to == 'FAILED' then
    redis.call('HSET', FAILED_ERRORS, id, failure_summary(job))
  end
end

local function new_job(id, job, status)
  if not INITIAL[status] then
    error({err = 'ERR jobq: ' .. SCRIPT .. ': job ' .. id .. ' cannot start as ' .. status})
  end
  job.status = status
  save(id, job)
end

-- The job as stored: claim answers with it, and commit() does not pack it again.
local function packed(id)
  local p = packs[id]
  if not p then
    p = cmsgpack.pack(jobs[id])
    packs[id] = p
  end
  return p
end

-- Sends one command on one key for many arguments, CHUNK at a time (per = 2 keeps pairs
-- together); answers the sum of the replies, for commands that count what they changed.
local function chunked(command, key, args, per)
  local step = CHUNK * (per or 1)
  local sum = 0
  for from = 1, #args, step do
    local reply = redis.call(command, key, unpack(args, from, math.min(#args, from + step - 1)))
    sum = sum + (tonumber(reply) or 0)
  end
  return sum
end

local WAITING_LISTS = {[0] = WAIT_0, WAIT_1, WAIT_2, WAIT_3}
local function waiting(level)
  return WAITING_LISTS[level]
end

-- A job's priority level; normal's for a value edited out of range, so that the job waits
-- somewhere, is claimed, and its worker dead-letters it as malformed.
local function level_of(job)
  local level = tonumber(job.pri)
  return WAITING_LISTS[level] and level or 2
end

-- One marker, not one per job: an idle worker pops it, claims, and puts it back when jobs
-- remain, so a single marker wakes as many workers as there is work for.
local function wake()
  redis.call('LPUSH', WAKE, 1)
  redis.call('LTRIM', WAKE, 0, 0)
end

local function any_waiting()
  for level = 0, 3 do
    if redis.call('LLEN', waiting(level)) > 0 then
      return true
    end
  end
  return false
end

-- Counts completions ('c') or failed attempts ('f'), n of them (default 1), in the slot of the
-- current minute (t/c/f fields, two hours) and of the current ten minutes (a day).
local function count_rate(now, field, n)
  n = n or 1
  if n == 0 then
    return -- a batch that finished nothing (all refused) writes nothing, not even a new slot
  end
  local minute = math.floor(now / 60000)
  local slot = minute % RATE_SLOTS
  if redis.call('HGET', RATE, 't' .. slot) ~= tostring(minute) then
    redis.call('HSET', RATE, 't' .. slot, minute, 'c' .. slot, 0, 'f' .. slot, 0)
  end
  redis.call('HINCRBY', RATE, field .. slot, n)
  -- The day's ring packs a slot in one field, "<step>:<completed>:<failed>", for the same two
  -- commands as three fields would take, so that the hash keeps under Redis's listpack limit
  -- (512 entries: 360 + 144), about 6 KB a queue instead of about 40 KB as a hash table.
  local ten = math.floor(now / 600000)
  local field_day = 'd' .. (ten % RATE_DAY_SLOTS)
  local at, c, f = string.match(redis.call('HGET', RATE, field_day) or '', '^(%d+):(%d+):(%d+)$')
  if at ~= tostring(ten) then
    c, f = 0, 0
  end
  if field == 'c' then c = c + n else f = f + n end
  redis.call('HSET', RATE, field_day, ten .. ':' .. c .. ':' .. f)
end

-- Appends a lifecycle event: the job, what happened, when (the script's "now", so events and
-- job timestamps agree; as ARGV gave it: Redis formats a Lua number anew for every command that
-- takes one, a measurable cost per job), then the event's own field/value pairs. The stream
-- keeps about the newest meta events_kept entries (default 10000; 0 writes none), trimmed once
-- per call by commit().
local events_kept, emitted
local function emit(id, event, ...)
  if not events_kept then
    events_kept = tonumber(redis.call('HGET', META, 'events_kept') or '') or 10000
  end
  if events_kept > 0 then
    redis.call('XADD', EVENTS, '*', 'job', id, 'event', event, 'at', ARGV[1], ...)
    emitted = true
  end
end

-- The end of every script (Script.java calls it): the changed jobs written, the stream trimmed.
local function commit()
  local sets, deletes = {}, {}
  for id in pairs(dirty) do
    if jobs[id] then
      sets[#sets + 1] = id
      sets[#sets + 1] = packed(id)
    else
      deletes[#deletes + 1] = id
    end
  end
  chunked('HSET', JOBS, sets, 2)
  chunked('HDEL', JOBS, deletes)
  if emitted then
    redis.call('XTRIM', EVENTS, 'MAXLEN', '~', events_kept)
  end
end

local function sample(list, ms)
  redis.call('LPUSH', list, math.max(0, ms))
  redis.call('LTRIM', list, 0, SAMPLES_KEPT - 1)
end

-- Puts a WAITING job at the tail of its priority; its wait time is measured from "since". (A
-- job that waits from its enqueue has no enqueued_at: its wait starts at created_at.)
local function push_waiting(id, job, since)
  job.enqueued_at = since
  save(id, job)
  redis.call('RPUSH', waiting(level_of(job)), id)
end

-- Makes a job WAITING, at the tail of its priority.
local function make_waiting(id, job, since)
  move(id, job, 'WAITING')
  push_waiting(id, job, since)
end

-- A running job left ACTIVE: when a claim held a job back for a concurrency limit, idle
-- workers are woken to try again now that a slot is free.
local function freed_slot()
  if redis.call('HGET', LIMIT_STATE, 'held_running') then
    redis.call('HDEL', LIMIT_STATE, 'held_running')
    wake()
  end
end

-- Drops the errors in short of jobs that left the failed set (see move()).
local function drop_failures(ids)
  chunked('HDEL', FAILED_ERRORS, ids)
end

-- Deletes jobs with their entries in one sorted set (and, from the failed set, their errors in
-- short).
local function delete_jobs(set, ids)
  for _, id in ipairs(ids) do
    delete_job(id)
  end
  chunked('ZREM', set, ids)
  if set == FAILED then
    drop_failures(ids)
  end
  if set == CANCELLED and #ids > 0 then
    -- a job cancelled while it ran may still hold its lease (cancel.lua): it goes with the job
    if chunked('ZREM', ACTIVE, ids) > 0 then
      freed_slot()
    end
  end
end

-- With a retention, an index of finished jobs loses, with their jobs, those finished longer
-- ago than the retention and the oldest beyond max_kept: at most TRIM_MAX per call, so that a
-- backlog (a retention shortened, a queue idle for a day) goes a slice at a time. Answers how
-- many jobs went.
local TRIM_MAX = 1000
local function trim_finished(index, now, retention_ms, max_kept)
  if retention_ms <= 0 then
    return 0
  end
  local old = redis.call('ZRANGEBYSCORE', index, '-inf', now - retention_ms, 'LIMIT', 0, TRIM_MAX)
  delete_jobs(index, old)
  local excess = math.min(redis.call('ZCARD', index) - max_kept, TRIM_MAX - #old)
  if excess <= 0 then
    return #old
  end
  delete_jobs(index, redis.call('ZRANGE', index, 0, excess - 1))
  return #old + excess
end

-- Records a finished job in its index.
local function finish(id, job, status, now, index, retention_ms, max_kept)
  job.finished_at = now
  move(id, job, status)
  redis.call('ZADD', index, now, id)
  trim_finished(index, now, retention_ms, max_kept)
end

-- The job if it is ACTIVE under this lease token, else nil and the refusal code.
local function held(id, token)
  local job = job_of(id)
  if not job then
    return nil, NOT_FOUND
  end
  if job.status ~= 'ACTIVE' or tostring(job.token or 0) ~= token then
    return nil, STALE
  end
  return job
end

-- A job cancelled while it ran keeps its lease in active, and with it its slot under a running
-- limit, until its worker reports or the lease passes (cancel.lua). Ends that lease; false when
-- it had none.
local function end_cancelled_lease(id)
  if redis.call('ZREM', ACTIVE, id) == 0 then
    return false
  end
  freed_slot()
  return true
end

-- As held(), for a worker that reports how its attempt ended (complete, fail, release): when
-- the job was cancelled while it ran under this token, the lease it kept ends and the outcome
-- is dropped (DROPPED).
local function reported(id, token)
  local job, refusal = held(id, token)
  local was = jobs[id]
  if refusal == STALE and was.status == 'CANCELLED' and tostring(was.token or 0) == token
      and end_cancelled_lease(id) then
    return nil, DROPPED
  end
  return job, refusal
end

-- Dependencies. A child lists its parents in 'deps' and counts those not yet ended in
-- 'deps_left'; each parent lists its children in 'children' (ids hold no commas), so both
-- leave with their jobs. A parent's list is not kept up to date when a child ends another way
-- (cancelled, say) and its id is used again: what counts is the child's own 'deps'.

-- Whether a comma-separated list holds the id.
local function listed(list, id)
  return type(list) == 'string'
    and string.find(',' .. list .. ',', ',' .. id .. ',', 1, true) ~= nil
end

-- Registers a new job with its parents (comma-separated ids); returns how many it must still
-- wait for, and, when a parent already failed or was cancelled and the job does not run
-- anyway, why it is cancelled.
local function adopt(id, parents, anyway)
  local pending, doomed, seen = 0, nil, {}
  for parent in string.gmatch(parents, '[^,]+') do
    -- enqueue checked that every parent exists; one gone since counts as ended
    local p = job_of(parent) or {status = 'COMPLETED'}
    if seen[parent] then
      -- named twice (two duplicates of one uniqueness key stand for its job): one parent
    elseif p.status == 'FAILED' or p.status == 'CANCELLED' then
      if not anyway then
        doomed = doomed or ('parent ' .. parent .. ' ended ' .. p.status)
      end
    elseif p.status ~= 'COMPLETED' then
      pending = pending + 1
      -- an earlier job of this id may have left it there
      if not listed(p.children, id) then
        p.children = p.children and (p.children .. ',' .. id) or id
        save(parent, p)
      end
    end
    seen[parent] = true
  end
  return pending, doomed
end

-- The settled children a parent keeps (children_done): the earlier ones, then the newly told,
-- each once, the first CHILDREN_KEPT (Job.MAX_CHILDREN_KEPT) in all.
local CHILDREN_KEPT = 100
local function kept_children(done, told)
  local kept, n = done or '', 0
  for _ in string.gmatch(kept, '[^,]+') do
    n = n + 1
  end
  for child in string.gmatch(told, '[^,]+') do
    if n >= CHILDREN_KEPT then
      break
    end
    if not listed(kept, child) then
      kept = n == 0 and child or (kept .. ',' .. child)
      n = n + 1
    end
  end
  return kept ~= '' and kept or nil
end

-- Tells the children of a job that just ended (status COMPLETED, FAILED or CANCELLED). A child
-- whose last parent this was becomes ready; after a failure or cancellation a child is
-- cancelled instead, naming the parent, unless it runs anyway, and so, in turn, its children.
-- An entry of the parent's list counts once, and only while the child (a job that may have
-- taken the id of an earlier child) still names this parent in its deps.
local function settle_children(id, job, status, now)
  local todo = {{id, job, status}}
  local n = 1
  while n <= #todo do
    local parent, pjob, pstatus = todo[n][1], todo[n][2], todo[n][3]
    local told = {}
    n = n + 1
    for child in string.gmatch(pjob.children or '', '[^,]+') do
      local c = job_of(child)
      local current = not told[child] and listed(c and c.deps, parent)
      told[child] = true
      if current and c.status == 'BLOCKED' then
        if pstatus == 'COMPLETED' or c.deps_anyway == '1' then
          c.deps_left = (tonumber(c.deps_left) or 1) - 1
          save(child, c)
          if c.deps_left <= 0 then
            redis.call('ZREM', BLOCKED, child)
            local run_at = tonumber(c.run_at) or 0
            if run_at > now then
              move(child, c, 'DELAYED')
              redis.call('ZADD', DELAYED, run_at, child)
              emit(child, 'ready', 'status', 'DELAYED')
            else
              make_waiting(child, c, now)
              emit(child, 'ready', 'status', 'WAITING')
            end
            wake()
          end
        else
          local why = 'parent ' .. parent .. ' ended ' .. pstatus
          redis.call('ZREM', BLOCKED, child)
          c.error_class, c.error = 'dev.jobq.ParentFailed', why
          finish(child, c, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
          redis.call('HINCRBY', STATS, 'cancelled', 1)
          emit(child, 'cancelled', 'error', why)
          todo[#todo + 1] = {child, c, 'CANCELLED'}
        end
      end
    end
    -- each child is told once: a parent dead-lettered, retried and ended again must not count
    -- again for a child that runs anyway; the first ones stay listed for its readers
    if pjob.children then
      pjob.children_done = kept_children(pjob.children_done, pjob.children)
      pjob.children = nil
      save(parent, pjob)
    end
  end
end

-- Ends a failed attempt of an active job: back to the delayed set when delay_ms >= 0 and an
-- attempt is left (RETRY_SCHEDULED); else, when the caller already enqueued the job that takes
-- over from it (escalated_to: its queue/id), cancelled with that link (ESCALATED); else
-- dead-lettered to the failed set (DEAD_LETTERED), where it stays until retried or purged
-- unless failed_ms (a retention) is above 0. The attempt's event is 'failed' (the handler
-- failed) or 'stalled' (its lease ran out), then 'retrying', 'escalated' or 'dead-lettered'.
local function fail_attempt(id, job, now, error_class, message, stack, delay_ms, event,
    escalated_to, failed_ms)
  local retry = delay_ms >= 0 and (tonumber(job.attempt) or 0) < (tonumber(job.max_attempts) or 1)
  local escalated = not retry and escalated_to and escalated_to ~= '' and escalated_to ~= '-'
  check_move(id, job, retry and 'DELAYED' or escalated and 'CANCELLED' or 'FAILED')
  redis.call('ZREM', ACTIVE, id)
  freed_slot()
  redis.call('HINCRBY', STATS, 'failed', 1)
  count_rate(now, 'f')
  sample(RUN_MS, now - (tonumber(job.started_at) or now))
  job.error_class, job.error, job.stack = error_class, message, stack
  save(id, job)
  emit(id, event or 'failed', 'attempt', job.attempt or 0, 'error', error_class .. ': ' .. message)
  if retry then
    job.run_at = now + delay_ms
    move(id, job, 'DELAYED')
    redis.call('ZADD', DELAYED, now + delay_ms, id)
    redis.call('HINCRBY', STATS, 'retried', 1)
    emit(id, 'retrying', 'run_at', now + delay_ms)
    -- idle workers sleep until the next due job they know of; this one may be sooner
    wake()
    return RETRY_SCHEDULED
  end
  if escalated then
    job.escalated_to = escalated_to
    finish(id, job, 'CANCELLED', now, CANCELLED, CANCELLED_MS, CANCELLED_KEPT)
    redis.call('HINCRBY', STATS, 'escalated', 1)
    emit(id, 'escalated', 'to', escalated_to)
    settle_children(id, job, 'CANCELLED', now)
    return ESCALATED
  end
  finish(id, job, 'FAILED', now, FAILED, failed_ms or 0, math.huge)
  redis.call('HINCRBY', STATS, 'dead', 1)
  emit(id, 'dead-lettered')
  settle_children(id, job, 'FAILED', now)
  return DEAD_LETTERED
end

-- Input. Each script checks all of its KEYS and ARGV with these helpers before its first
-- write: a bad value is refused with an error naming it, its value and what is allowed
-- ("ERR jobq: <script>: ...", thrown by RedisBroker as an InvalidJobException), and since
-- Script.java commits nothing after a failed main(), such a call writes nothing. ARGV are
-- text: a number is a whole number in decimal digits (no spaces, fractions, exponents, hex,
-- nan or inf), so that what a client in any language sends means one thing.
local MAX_MS = 9007199254740991             -- 2^53 - 1: times, retentions, counts
local MAX_DELAY_MS = 5 * 365 * 86400000     -- JobRequest.MAX_DELAY
local MAX_TIMEOUT_MS = 7 * 86400000         -- JobRequest.MAX_TIMEOUT
local MAX_UNIQUE_MS = 30 * 86400000         -- JobRequest.MAX_UNIQUE_WINDOW
local MAX_ATTEMPTS = 1000                   -- RetryPolicy.MAX_ATTEMPTS_LIMIT
local MAX_PARENTS = 100                     -- JobRequest.MAX_PARENTS
local MAX_NAME = 200                        -- Names.MAX_ID_LENGTH and MAX_TYPE_LENGTH

-- A script checking values per job sets this to a function naming the job being checked
-- ("job 2 (id 'b')"), called only to word a refusal.
local input_owner = nil

-- A value as an error shows it: quoted, at most 60 characters, control characters escaped.
local function shown(v)
  if v == nil then
    return 'missing'
  end
  local s = string.gsub(string.sub(v, 1, 60), '[%c\127]', function(c)
    return string.format('\\%03d', string.byte(c))
  end)
  return "'" .. s .. "'" .. (#v > 60 and ' (' .. #v .. ' characters)' or '')
end

local function refuse(what, v, allowed)
  local owner = input_owner and input_owner()
  error({err = 'ERR jobq: ' .. SCRIPT .. ': ' .. (owner and owner .. ': ' or '') .. what
    .. ' is ' .. shown(v) .. '; allowed: ' .. allowed})
end

-- The KEYS of one queue in QueueKey.java's order (and, for upgrade, extra keys after them),
-- so that a client that sends another queue's key, or keys out of order, writes nothing.
local function check_keys(extra)
  if #KEYS ~= #KEY_NAMES + extra then
    refuse('the number of keys', tostring(#KEYS), (#KEY_NAMES + extra) .. ', as PROTOCOL.md lists')
  end
  local base = string.match(KEYS[1], '^(.*:{[^{}]+}:)' .. KEY_NAMES[1] .. '$')
  if not base then
    refuse('KEYS[1]', KEYS[1], "the queue's first key, <prefix>:{<queue>}:" .. KEY_NAMES[1])
  end
  -- compared in place: a string built per key would cost every call more than its work
  local n = #base
  for i, name in ipairs(KEY_NAMES) do
    local k = KEYS[i]
    if #k ~= n + #name or string.find(k, base, 1, true) ~= 1
        or string.find(k, name, n + 1, true) ~= n + 1 then
      refuse('KEYS[' .. i .. ']', k, base .. name)
    end
  end
end

-- Refuses the call unless its number of arguments fits (ok), saying what was expected.
local function check_count(ok, expected)
  if not ok then
    refuse('the number of arguments', tostring(#ARGV), expected)
  end
end

local function whole(v, what, min, max)
  local n = v and #v <= 20 and string.find(v, '^%-?%d+$') and tonumber(v)
  if not n or n < min or n > max then
    local upper = max == math.huge and '' or string.format('%d', max)
    refuse(what, v, 'a whole number ' .. string.format('%d', min) .. '..' .. upper)
  end
  return n
end

local function text(v, what)
  if v == nil then
    refuse(what, v, 'any text')
  end
  return v
end

local function nonempty(v, what)
  if v == nil or v == '' then
    refuse(what, v, 'text that is not empty')
  end
  return v
end

-- ARGV[i] checked as whole() and nonempty() check it, its name ('ARGV[i], <label>') built only
-- when it is refused: scripts check these per job, and a message built for every job would
-- cost each call more than the check does.
local function argv_whole(i, label, min, max)
  local v = ARGV[i]
  local n = v and #v <= 20 and string.find(v, '^%-?%d+$') and tonumber(v)
  if n and n >= min and n <= max then
    return n
  end
  return whole(v, 'ARGV[' .. i .. '], ' .. label, min, max)
end

local function argv_nonempty(i, label)
  local v = ARGV[i]
  if v ~= nil and v ~= '' then
    return v
  end
  return nonempty(v, 'ARGV[' .. i .. '], ' .. label)
end

local function one_of(v, what, allowed)
  for _, a in ipairs(allowed) do
    if v == a then
      return v
    end
  end
  refuse(what, v, "one of '" .. table.concat(allowed, "', '") .. "'")
end

-- A job id or type as Names.java allows it.
local function name_like(v, what, pattern, rule)
  if v == nil or #v > MAX_NAME or not string.find(v, pattern) then
    refuse(what, v, rule .. ', at most ' .. MAX_NAME .. ' characters')
  end
  return v
end

local ID_PATTERN = '^%w[%w%._:@/%+=%-]*$'
local ID_RULE = 'letters, digits and . _ : @ / + = -, starting with a letter or digit'
local function job_id(v, what)
  return name_like(v, what, ID_PATTERN, ID_RULE)
end

local function job_type(v, what)
  return name_like(v, what, '^%w[%w%._:%$%-]*$',
    'letters, digits and . _ : $ -, starting with a letter or digit')
end

-- A JSON object; with strings_only, each of its values a string.
local function json_object(v, what, strings_only)
  local ok, o = pcall(cjson.decode, v or '')
  local fits = ok and type(o) == 'table' and string.find(v, '^%s*{') ~= nil
  if fits and strings_only then
    for _, value in pairs(o) do
      fits = fits and type(value) == 'string'
    end
  end
  if not fits then
    refuse(what, v, strings_only and 'a JSON object of strings' or 'a JSON object')
  end
  return v, o
end

-- Uniqueness windows that ended are forgotten, at most n of the oldest per call: by enqueue,
-- more than it adds, and by expire, which workers call every minute, so that the keys of a
-- queue that stopped taking unique jobs go too.
local function forget_windows(now, n)
  local ended = redis.call('ZRANGEBYSCORE', UNIQUE_UNTIL, '-inf', now, 'LIMIT', 0, n)
  chunked('HDEL', UNIQUE, ended)
  chunked('ZREM', UNIQUE_UNTIL, ended)
  return #ended
end
