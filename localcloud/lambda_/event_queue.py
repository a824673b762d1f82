"""Asynchronous invocation as Lambda runs it: events queue per function, up to the function's
concurrency run at once, a failed attempt is retried after a back-off, and an event that keeps
failing (or grows too old) goes to the dead-letter callback. Knows nothing of moto."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Lambda's defaults for an asynchronous invocation (event invoke config and concurrency).
MAXIMUM_RETRY_ATTEMPTS = 2
MAXIMUM_EVENT_AGE_SECONDS = 21600
DEFAULT_CONCURRENCY = 4


@dataclass(frozen=True)
class Policy:
    """How one function's events are delivered: retries, age limit, concurrency."""

    max_retries: int = MAXIMUM_RETRY_ATTEMPTS
    max_event_age: float = MAXIMUM_EVENT_AGE_SECONDS
    concurrency: int = DEFAULT_CONCURRENCY


@dataclass(frozen=True)
class Failure:
    """Why an event was given up: an HTTP-style code and a message, as Lambda reports them."""

    code: int
    message: str


@dataclass(eq=False)
class Job:
    """One event for one function; the request id stays the same across retries, as in Lambda."""

    function: str
    request_id: str
    event: Any
    policy: Policy
    context: Any = None
    created: float = field(default_factory=time.monotonic)
    attempts: int = 0
    failure: Failure | None = None

    def age(self, now: float) -> float:
        return now - self.created


class AsyncInvoker:
    """Delivers jobs with `attempt(job) -> Failure | None` and hands the ones that keep failing
    to `give_up(job, failure)`. Retry n waits n * retry_delay seconds (Lambda: about one minute,
    then two)."""

    def __init__(
        self,
        attempt: Callable[[Job], Failure | None],
        give_up: Callable[[Job, Failure], None],
        retry_delay: float = 1.0,
    ):
        self.attempt = attempt
        self.give_up = give_up
        self.retry_delay = retry_delay
        self.changed = threading.Condition()
        self.ready: dict[str, deque[Job]] = {}
        self.delayed: list[tuple[float, int, Job]] = []
        self.running: dict[str, list[Job]] = {}
        self.order = itertools.count()
        self.closed = False
        self.scheduler = threading.Thread(target=self.schedule, name="async-invoker", daemon=True)
        self.scheduler.start()

    def submit(self, job: Job) -> None:
        """Queue a job; it runs as soon as its function has a free slot."""
        if job.policy.concurrency == 0:  # Lambda: reserved concurrency 0 sends events to the DLQ unretried
            self.give_up(job, Failure(429, "Rate Exceeded: the function's reserved concurrency is 0"))
            return
        with self.changed:
            if self.closed:
                raise RuntimeError("the local cloud is shutting down: no new asynchronous invocations")
            self.ready.setdefault(job.function, deque()).append(job)
            self.start_ready()

    def start_ready(self) -> None:
        """Start every ready job whose function has a free slot (called with the lock held)."""
        for function, queue in self.ready.items():
            running = self.running.setdefault(function, [])
            while queue and len(running) < queue[0].policy.concurrency:
                job = queue.popleft()
                running.append(job)
                threading.Thread(target=self.run, args=(job,), name=f"invoke-{job.request_id}", daemon=True).start()

    def run(self, job: Job) -> None:
        if job.age(time.monotonic()) > job.policy.max_event_age:
            failure = job.failure or Failure(400, "Event expired: older than MaximumEventAgeInSeconds")
        else:
            job.attempts += 1
            try:
                failure = self.attempt(job)
            except Exception as error:  # a bug in the local cloud fails the attempt, never the queue
                failure = Failure(500, f"the local cloud could not run the invocation: {error!r}")
            job.failure = failure
        final = None
        with self.changed:
            self.running[job.function].remove(job)
            if failure is not None:
                retry_at = time.monotonic() + self.retry_delay * job.attempts
                if job.attempts <= job.policy.max_retries and retry_at - job.created <= job.policy.max_event_age:
                    heapq.heappush(self.delayed, (retry_at, next(self.order), job))
                else:
                    final = failure
            self.start_ready()
            self.changed.notify_all()
        if final is not None:
            self.give_up(job, final)

    def schedule(self) -> None:
        """Move retries that are due to their function's queue; sleep until the next one."""
        with self.changed:
            while True:
                now = time.monotonic()
                while self.delayed and self.delayed[0][0] <= now:
                    _, _, job = heapq.heappop(self.delayed)
                    self.ready.setdefault(job.function, deque()).append(job)
                self.start_ready()
                self.changed.wait(self.delayed[0][0] - now if self.delayed else None)

    def pending(self) -> int:
        with self.changed:
            return self.count()

    def count(self) -> int:
        return sum(map(len, self.ready.values())) + len(self.delayed) + sum(map(len, self.running.values()))

    def close(self, drain_seconds: float) -> list[Job]:
        """Refuse new jobs, wait up to drain_seconds for queued ones and retries to finish; the
        jobs still undelivered (queued, waiting for a retry, or running)."""
        deadline = time.monotonic() + drain_seconds
        with self.changed:
            self.closed = True
            while self.count() and time.monotonic() < deadline:
                self.changed.wait(deadline - time.monotonic())
            left = [job for jobs in (*self.ready.values(), *self.running.values()) for job in jobs]
            left += [job for _, _, job in self.delayed]
            self.ready.clear()
            self.delayed.clear()
            return left
