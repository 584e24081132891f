-- claim.lua: gives a worker up to N jobs, highest priority first, FIFO within a priority,
-- after moving delayed jobs that are due into their wait lists.
-- KEYS: the queue's keys (lib.lua)
-- ARGV: 1 now (ms), 2 worker id, 3 how many jobs at most (never more than 1000 in one call,
--   so that one call does not hold Redis for long), 4 lease (ms), 5.. the job types to take
--   (none: any type). With types, jobs of other types keep their place, and only the first
--   CLAIM_SCAN_WINDOW ids of each priority are looked at (the prelude, WorkerBroker.java).
-- Output: the claimed jobs, each as its id followed by the job as stored (ACTIVE, attempt
--   counted, a new lease token: above the job's last one and at least Redis's clock in ms).
--   Empty when the queue is paused, nothing is ready, or its limits hold every ready job back
--   (the queue's or its types' running and start-rate limits). An id whose job's status its
--   list or set contradicts (a due id not DELAYED, a waiting id not WAITING: an edit by hand,
--   a bug) is dropped from that list or set, its job left as it is and counted in the stats'
--   'orphans', as one without a job is: one stray id must not stop a queue (jobq doctor
--   reports the job).
local MAX_CLAIM, PROMOTE_LIMIT = 1000, 1000
check_keys(0)
check_count(#ARGV >= 4, '4 or more: now, worker id, how many jobs at most, lease (ms), types')
local now, worker = whole(ARGV[1], 'now (ms)', 0, MAX_MS), nonempty(ARGV[2], 'worker id')
local lease = whole(ARGV[4], 'lease (ms)', 1, MAX_MS)
local max = math.min(whole(ARGV[3], 'how many jobs at most', 0, MAX_MS), MAX_CLAIM)
-- the types this worker takes, as a set; nil: any type
local only = nil
for i = 5, #ARGV do
  only = only or {}
  only[job_type(ARGV[i], 'a job type to take')] = true
end

-- Lease tokens follow Redis's own clock (ms), never below the job's last token + 1: a token
-- never repeats for an id, not when a finished job is replaced by one of the same id (it keeps
-- the token, enqueue.lua), and not when Redis restarts from a snapshot older than a claim (its
-- clock has moved on since). Redis 6.2 allows TIME before writes only with effects replication.
if redis.replicate_commands then
  redis.replicate_commands()
end
local time = redis.call('TIME')
local clock_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

-- Everything is read, and every move checked, before the first write (lib.lua's move()). A job
-- that cannot be read (a value that is not a map: no status) is taken as what its list or set
-- says it is, so that it is handed over and its worker dead-letters it as malformed.
local function as_found(id, status)
  local job = job_of(id)
  if job and job.status == nil then
    job.status = status
  end
  return job
end

-- An id whose job is elsewhere: dropped from where it was found (by the caller), counted.
local strays = 0
local function stray()
  strays = strays + 1
end
local function count_strays()
  if strays > 0 then
    redis.call('HINCRBY', STATS, 'orphans', strays)
  end
end

-- Due delayed jobs: they go to the tail of their wait lists first, so this call can take them.
local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'WITHSCORES', 'LIMIT', 0, PROMOTE_LIMIT)
local due_ids, due_at = {}, {}
for i = 1, #due, 2 do
  due_ids[#due_ids + 1] = due[i]
  due_at[#due_ids] = tonumber(due[i + 1])
end
load_jobs(due_ids)
-- per level, the due ids that join its tail (an id without a job is dropped)
local promoted, promoting, any_promoted = {[0] = {}, {}, {}, {}}, {}, false
for _, id in ipairs(due_ids) do
  local job = as_found(id, 'DELAYED')
  if not job or not can_move(job, 'WAITING') then
    stray()
  else
    local tail = promoted[level_of(job)]
    tail[#tail + 1] = id
    promoting[id], any_promoted = true, true
  end
end

local function promote()
  if #due_ids == 0 then
    return
  end
  chunked('ZREM', DELAYED, due_ids)
  for i, id in ipairs(due_ids) do
    local job = jobs[id]
    if job and promoting[id] then
      -- its wait is counted from when it fell due, not from when it was enqueued
      make_waiting(id, job, due_at[i])
    end
  end
end

-- promoted even while paused, so that idle workers do not wake again and again for due jobs
if redis.call('HGET', META, 'paused') == '1' then
  promote()
  count_strays()
  return {}
end

local out = {}
local waits = {}
local left = max
-- every lease of the call ends at once; formatted once (see emit() in lib.lua)
local deadline = string.format('%d', now + lease)
-- jobs taken since the last lease_taken(), as deadline/id pairs
local leases = {}

-- Makes a waiting job ACTIVE (checked by the plan below), the job's id already out of its wait
-- list; its lease follows in lease_taken().
local function take(id)
  local job = jobs[id]
  job.worker, job.started_at = worker, now
  job.attempt = (tonumber(job.attempt) or 0) + 1
  job.token = math.max((tonumber(job.token) or 0) + 1, clock_ms)
  move(id, job, 'ACTIVE')
  leases[#leases + 1] = deadline
  leases[#leases + 1] = id
  local ready = tonumber(job.enqueued_at) or tonumber(job.created_at) or now
  waits[#waits + 1] = math.max(0, now - ready)
  out[#out + 1] = {id, packed(id)}
end

-- The leases of the jobs just taken, in one ZADD, then their events.
local function lease_taken()
  chunked('ZADD', ACTIVE, leases, 2)
  for i = 2, #leases, 2 do
    emit(leases[i], 'started', 'attempt', jobs[leases[i]].attempt, 'worker', worker)
  end
  leases = {}
end

-- The plan: the ids this call takes from a wait list, in order, each {level, id, take, index
-- in the list (typed path only)}; an id without a job (deleted by hand; `jobq doctor` reports
-- such) leaves its list untaken and is counted a stray, as is one named twice. Each id taken
-- is checked WAITING -> ACTIVE here (the promoted ones were checked above), before any write.
local picks, taking = {}, {}
local function pick(level, id, index)
  local job = not taking[id] and (promoting[id] and jobs[id] or as_found(id, 'WAITING'))
  if not job or not promoting[id] and not can_move(job, 'ACTIVE') then
    stray()
    job = false
  end
  picks[#picks + 1] = {level, id, job and true or false, index}
  if job then
    taking[id] = true
    left = left - 1
  end
  return job
end

-- Limits (jobq limits): per scope, 'queue' or 'type:<type>', "max running,max started,per ms";
-- 0 is no limit.
local limits = {}
local types_limited = false
local flat = redis.call('HGETALL', LIMITS)
for i = 1, #flat, 2 do
  local r, s, per = string.match(flat[i + 1], '^(%d+),(%d+),(%d+)$')
  if r then
    limits[flat[i]] = {tonumber(r), tonumber(s), tonumber(per)}
    types_limited = types_limited or flat[i] ~= 'queue'
  end
end

-- How many more jobs of a scope may start now, and, when its start rate is what stops it,
-- when its next window opens.
local function room(scope, running)
  local l = limits[scope]
  local n, opens = math.huge, nil
  if l[1] > 0 then
    n = l[1] - running
  end
  if l[2] > 0 then
    local window = math.floor(now / l[3])
    local f = redis.call('HMGET', LIMIT_STATE, 'win:' .. scope, 'n:' .. scope)
    local used = tonumber(f[1]) == window and tonumber(f[2]) or 0
    if l[2] - used < n then
      n, opens = l[2] - used, (window + 1) * l[3]
    end
  end
  return math.max(0, n), opens
end

-- Notes that a scope held a job back: for the monitor, and so that the right event wakes idle
-- workers (a window opening, which they wait for; a running job ending, see freed_slot).
local function hold_back(scope, opens)
  redis.call('HSET', LIMIT_STATE, 'held:' .. scope, now)
  if opens then
    local until_ms = tonumber(redis.call('HGET', LIMIT_STATE, 'held_until') or '')
    if not until_ms or until_ms <= now or opens < until_ms then
      redis.call('HSET', LIMIT_STATE, 'held_until', opens)
    end
  else
    redis.call('HSET', LIMIT_STATE, 'held_running', 1)
  end
end

local function count_starts(scope, n)
  local l = limits[scope]
  if l[2] > 0 and n > 0 then
    local window = math.floor(now / l[3])
    if tonumber(redis.call('HGET', LIMIT_STATE, 'win:' .. scope)) == window then
      redis.call('HINCRBY', LIMIT_STATE, 'n:' .. scope, n)
    else
      redis.call('HSET', LIMIT_STATE, 'win:' .. scope, window, 'n:' .. scope, n)
    end
  end
end

-- the limits that held jobs back, each {scope, when its window opens (nil: a running limit)},
-- noted once the plan is made
local holds = {}
if limits['queue'] then
  local n, opens = room('queue', redis.call('ZCARD', ACTIVE))
  if n < left then
    left = n
    if n == 0 and (any_promoted or any_waiting()) then
      holds[1] = {'queue', opens}
    end
  end
end
local wanted = left

-- per scope, how many jobs this call starts
local started = {}
-- set when a type filter left a job of another type in its place
local passed_over = false
-- whether this call takes each level's head, in order (no job it passes over)
local in_order = not types_limited and not only
if in_order then
  -- from the head of each level: the ids already waiting, then the due ones promoted to it
  for level = 0, 3 do
    local from = 0
    while left > 0 do
      local ids = redis.call('LRANGE', waiting(level), from, from + left - 1)
      if #ids == 0 then
        break
      end
      from = from + #ids
      load_jobs(ids)
      for _, id in ipairs(ids) do
        pick(level, id)
      end
    end
    for _, id in ipairs(promoted[level]) do
      if left <= 0 then
        break
      end
      pick(level, id)
    end
  end
else
  -- Jobs of a type at its limit, or of a type not asked for, keep their place; the scan looks
  -- past them, at most CLAIM_SCAN_WINDOW deep per priority, so a long run of such jobs delays
  -- the ones behind it.
  local rooms, opens_of, marked = {}, {}, {}
  local running = nil
  -- picks a job of type t unless its type is at its limit
  local function pick_within_limit(level, id, t, index)
    local scope = 'type:' .. t
    local ok = true
    if limits[scope] then
      if rooms[scope] == nil then
        if not running then
          -- running jobs per type, counted once per call from the active set
          running = {}
          local active = redis.call('ZRANGE', ACTIVE, 0, -1)
          load_jobs(active)
          for _, a in ipairs(active) do
            local at = tostring((jobs[a] or {}).type or '')
            running[at] = (running[at] or 0) + 1
          end
        end
        rooms[scope], opens_of[scope] = room(scope, running[t] or 0)
      end
      ok = rooms[scope] > 0
      if not ok and not marked[scope] then
        holds[#holds + 1] = {scope, opens_of[scope]}
        marked[scope] = true
      end
    end
    if ok and pick(level, id, index) and limits[scope] then
      rooms[scope] = rooms[scope] - 1
      started[scope] = (started[scope] or 0) + 1
    end
  end
  for level = 0, 3 do
    if left <= 0 then
      break
    end
    -- each id's index in its list once promote() has run: the window from the head, then the
    -- promoted ids, which promote() pushes to the tail in this order
    local ids = redis.call('LRANGE', waiting(level), 0, CLAIM_SCAN_WINDOW - 1)
    local indexes = {}
    for i = 1, #ids do
      indexes[i] = i - 1
    end
    local tail = promoted[level]
    for k, id in ipairs(tail) do
      if #ids >= CLAIM_SCAN_WINDOW then
        break
      end
      ids[#ids + 1] = id
      indexes[#ids] = k - #tail - 1
    end
    load_jobs(ids)
    for i, id in ipairs(ids) do
      if left <= 0 then
        break
      end
      local job = jobs[id]
      local t = job and tostring(job.type or '')
      if not job then
        pick(level, id, indexes[i]) -- a stray: dropped and counted, whatever the types
      elseif only and not only[t] then
        passed_over = true
      else
        pick_within_limit(level, id, t, indexes[i])
      end
    end
  end
end

-- The writes, as planned.
promote()
count_strays()
for _, h in ipairs(holds) do
  hold_back(h[1], h[2])
end
if in_order then
  -- each level's picks are its head: popped in one call, then taken
  local n = 1
  for level = 0, 3 do
    local first = n
    while picks[n] and picks[n][1] == level do
      n = n + 1
    end
    if n > first then
      redis.call('LPOP', waiting(level), n - first)
      for i = first, n - 1 do
        if picks[i][3] then
          take(picks[i][2])
        end
      end
      lease_taken()
    end
  end
else
  -- Each pick's place is overwritten with a mark no id can be (ids are never empty), then each
  -- level's marks go in one LREM: one scan of a list, however many jobs it gives.
  local marks = {}
  for _, p in ipairs(picks) do
    redis.call('LSET', waiting(p[1]), p[4], '')
    marks[p[1]] = (marks[p[1]] or 0) + 1
  end
  for level, n in pairs(marks) do
    redis.call('LREM', waiting(level), n, '')
  end
  for _, p in ipairs(picks) do
    if p[3] then
      take(p[2])
    end
  end
  lease_taken()
end
for scope, n in pairs(started) do
  count_starts(scope, n)
end
if limits['queue'] then
  count_starts('queue', wanted - left)
end

-- what sample() does per job, once for the whole claim
if #waits > 0 then
  redis.call('LPUSH', WAIT_MS, unpack(waits))
  redis.call('LTRIM', WAIT_MS, 0, SAMPLES_KEPT - 1)
end

-- All it asked for: more may be ready, for the next idle worker (not so when a limit cut it).
-- A claim that passed over other types' jobs hands the wake-up on to their workers, but only
-- when it took some: workers that find none of their types must not wake each other in turn.
if #out == max and any_waiting() or passed_over and #out > 0 then
  wake()
end
return out
