#!/usr/bin/env python3
"""A jobq agent in Python, standard library only: it works a queue over `jobq serve`'s HTTP API.

    python3 agent.py http://127.0.0.1:8080 default py-1 [--token TOKEN] [--max 4] [--lease 30s]

It claims up to --max jobs at a time (long-polling up to --wait when none is waiting), keeps their
leases alive from a heartbeat thread while it works through them one by one, reports progress,
and completes each job with its handler's result or fails it with the handler's error. When the
server says a job's lease is no longer ours (409) or the job was cancelled (410), it stops working
on that job and drops it. On SIGTERM or SIGINT it stops claiming, releases the jobs it has not
finished (their attempts are not spent) and exits 0, within one claim's --wait.

Handlers (HANDLERS below) are plain functions of (ctx, payload); add your own:
  echo   returns its payload as the result
  sleep  {"seconds": n}: sleeps n seconds, reporting progress every second
  fail   {"message": "...", "retryIn": "5s" | null}: fails; without retryIn the job's backoff decides
"""

import argparse
import http.client
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import urllib.parse

UNSET = object()  # "retryIn" left out: the job's own backoff gives the delay


class Gone(Exception):
    """The job is not ours any more: its lease was lost (409) or it was cancelled (410)."""


class Stopping(Exception):
    """The agent is stopping: the job is released, not finished."""


class JobError(Exception):
    """Raised by a handler to fail its job; retry_in is "5s", None (no retry) or UNSET."""

    def __init__(self, message, retry_in=UNSET):
        super().__init__(message)
        self.retry_in = retry_in


class ApiError(Exception):
    def __init__(self, status, problem):
        super().__init__(f"HTTP {status}: {problem.get('detail') or problem}")
        self.status = status


class Api:
    """One keep-alive connection to the server; each thread uses an Api of its own."""

    def __init__(self, base_url, token):
        url = urllib.parse.urlsplit(base_url.rstrip("/"))
        self.https = url.scheme == "https"
        self.host = url.netloc
        self.root = url.path + "/v1"
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = "Bearer " + token
        self.conn = None

    def post(self, path, body, timeout=60):
        data = json.dumps(body).encode()
        for retry in (False, True):
            try:
                if self.conn is None:
                    kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                    self.conn = kind(self.host, timeout=timeout)
                self.conn.request("POST", self.root + path, data, self.headers)
                response = self.conn.getresponse()
                status, text = response.status, response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.close()  # the server closed an idle keep-alive connection: open another once
                if retry:
                    raise
        answer = json.loads(text) if text else {}
        if status in (409, 410):
            raise Gone(answer.get("detail", status))
        if status >= 400:
            raise ApiError(status, answer)
        return answer

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Context:
    """What a handler may do with its job: report progress, sleep, notice it must stop."""

    def __init__(self, agent, job, held):
        self.agent, self.job, self.held = agent, job, held
        self.worker = agent.worker

    def check(self):
        if self.held.gone:
            raise Gone(self.held.gone)
        if self.agent.stopping.is_set():
            raise Stopping()

    def progress(self, done, total, message=None):
        self.check()
        self.agent.api.post(self.agent.job_path(self.job, "progress"),
                            {"token": self.job["token"], "done": done, "total": total,
                             "message": message})

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.check()
            self.held.stop.wait(min(left, 0.2))  # short slices: SIGTERM only sets a flag
        self.check()


def echo(ctx, payload):
    return payload


def sleep(ctx, payload):
    seconds = int((payload or {}).get("seconds", 1))
    for done in range(seconds):
        ctx.progress(done, seconds, f"slept {done}s of {seconds}s")
        ctx.sleep(1)
    return {"slept": seconds, "worker": ctx.worker}


def fail(ctx, payload):
    payload = payload or {}
    raise JobError(payload.get("message", "failed on purpose"), payload.get("retryIn", UNSET))


HANDLERS = {"echo": echo, "sleep": sleep, "fail": fail}


class Held:
    """A claimed job while this agent holds it; gone says why the server took it back."""

    def __init__(self, job):
        self.job = job
        self.gone = None
        self.stop = threading.Event()


class Agent:
    def __init__(self, base_url, queue, worker, token=None, max_jobs=1, lease="30s", wait="10s"):
        self.base_url, self.token = base_url, token
        self.queue, self.worker = queue, worker
        self.max_jobs, self.lease, self.wait = max_jobs, lease, wait
        self.api = Api(base_url, token)
        self.held = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def log(self, message):
        print(f"agent {self.worker}: {message}", flush=True)

    def job_path(self, job, action):
        return (f"/queues/{urllib.parse.quote(self.queue, safe='')}/jobs/"
                f"{urllib.parse.quote(job['id'], safe='')}/{action}")

    def run(self):
        threading.Thread(target=self.heartbeats, name="heartbeats", daemon=True).start()
        self.log(f"working queue {self.queue} at {self.base_url}")
        while not self.stopping.is_set():
            jobs = self.claim()
            for job in jobs:
                with self.lock:
                    self.held[job["id"]] = Held(job)
            for job in jobs:
                self.work(job)
        self.log("stopped")
        return 0

    def claim(self):
        body = {"worker": self.worker, "max": self.max_jobs, "lease": self.lease,
                "wait": self.wait}
        try:
            jobs = self.api.post(f"/queues/{urllib.parse.quote(self.queue, safe='')}/claim",
                                 body, timeout=seconds(self.wait) + 30)["jobs"]
        except ApiError as e:
            if 400 <= e.status < 500:
                raise SystemExit(f"agent {self.worker}: the server refused the claim: {e}")
            self.log(f"claim failed, trying again in 1s: {e}")
            time.sleep(1)
            return []
        except OSError as e:
            self.log(f"server unreachable, trying again in 1s: {e}")
            time.sleep(1)
            return []
        for job in jobs:
            self.log(f"claimed {job['id']} ({job['type']}), attempt {job['attempt']}")
        return jobs

    def work(self, job):
        held = self.held[job["id"]]
        try:
            if held.gone:
                raise Gone(held.gone)
            handler = HANDLERS.get(job["type"])
            if handler is None:
                raise JobError(f"no handler for type {job['type']!r} in this agent")
            ctx = Context(self, job, held)
            ctx.check()
            result = handler(ctx, job["payload"])
            self.api.post(self.job_path(job, "complete"), {"token": job["token"], "result": result})
            self.log(f"completed {job['id']}")
        except Gone as e:
            self.log(f"dropped {job['id']}: {e}")
        except Stopping:
            self.report(job, "release", {"token": job["token"]})
            self.log(f"released {job['id']} (stopping)")
        except Exception as e:  # the handler's failure is the job's, not the agent's
            self.report(job, "fail", failure(job, e))
            self.log(f"failed {job['id']}: {type(e).__name__}: {e}")
        finally:
            with self.lock:
                self.held.pop(job["id"], None)

    def report(self, job, action, body):
        try:
            self.api.post(self.job_path(job, action), body)
        except (Gone, ApiError, OSError) as e:
            self.log(f"could not {action} {job['id']}: {e}")

    def heartbeats(self):
        """Renews every held job's lease each third of the lease, on a connection of its own."""
        api = Api(self.base_url, self.token)
        while not self.stopping.wait(seconds(self.lease) / 3):
            with self.lock:
                held = [h for h in self.held.values() if not h.gone]
            for h in held:
                try:
                    api.post(self.job_path(h.job, "heartbeat"),
                             {"worker": self.worker, "token": h.job["token"], "lease": self.lease})
                except Gone as e:
                    h.gone = str(e)
                    h.stop.set()
                except (ApiError, OSError) as e:
                    self.log(f"heartbeat of {h.job['id']} failed: {e}")


def failure(job, error):
    body = {"token": job["token"],
            "error": {"class": type(error).__name__, "message": str(error) or repr(error),
                      "stack": traceback.format_exc()}}
    if isinstance(error, JobError) and error.retry_in is not UNSET:
        body["retryIn"] = error.retry_in
    return body


def seconds(duration):
    match = re.fullmatch(r"(\d+)(ms|s|m|h)", duration)
    if not match:
        raise SystemExit(f"duration {duration!r}: give a whole number and a unit, such as 30s")
    n, unit = int(match.group(1)), match.group(2)
    return n * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def main(argv=None):
    p = argparse.ArgumentParser(description="A jobq agent: works a queue over HTTP.")
    p.add_argument("base_url", help="the server, such as http://127.0.0.1:8080")
    p.add_argument("queue")
    p.add_argument("worker", help="this agent's id, unique among the queue's workers")
    p.add_argument("--token", default=os.environ.get("JOBQ_TOKEN"),
                   help="bearer token with the work role (default: $JOBQ_TOKEN)")
    p.add_argument("--max", type=int, default=1, help="jobs per claim, 1..100 (default 1)")
    p.add_argument("--lease", default="30s", help="lease per job, 1s..1h (default 30s)")
    p.add_argument("--wait", default="10s", help="how long a claim waits for work (default 10s)")
    args = p.parse_args(argv)
    seconds(args.lease), seconds(args.wait)
    agent = Agent(args.base_url, args.queue, args.worker, args.token, args.max, args.lease,
                  args.wait)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: agent.stopping.set())
    return agent.run()


if __name__ == "__main__":
    sys.exit(main())
