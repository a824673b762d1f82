"""Lambda's asynchronous delivery policy, on the invoker alone: retries with back-off, the
dead-letter hand-off, event age, concurrency per function, and shutdown."""

from __future__ import annotations

import threading
import time

import pytest

from localcloud.lambda_.event_queue import AsyncInvoker, Failure, Job, Policy

DEADLINE = 30.0


class Recorder:
    """attempt/give_up callbacks that record what happened; attempts fail as told."""

    def __init__(self, failures: int = 0, hold: threading.Event | None = None):
        self.failures = failures
        self.hold = hold
        self.lock = threading.Condition()
        self.attempts: list[tuple[str, float]] = []
        self.running: dict[str, int] = {}
        self.most_at_once: dict[str, int] = {}
        self.given_up: list[tuple[Job, Failure]] = []

    def attempt(self, job: Job) -> Failure | None:
        with self.lock:
            self.attempts.append((job.request_id, time.monotonic()))
            self.running[job.function] = self.running.get(job.function, 0) + 1
            self.most_at_once[job.function] = max(self.most_at_once.get(job.function, 0), self.running[job.function])
            self.lock.notify_all()
        if self.hold is not None:
            self.hold.wait(DEADLINE)
        with self.lock:
            self.running[job.function] -= 1
        if len([a for a in self.attempts if a[0] == job.request_id]) <= self.failures:
            return Failure(200, f"attempt failed: {job.request_id}")
        return None

    def give_up(self, job: Job, failure: Failure) -> None:
        with self.lock:
            self.given_up.append((job, failure))
            self.lock.notify_all()

    def wait_for(self, condition) -> None:
        with self.lock:
            assert self.lock.wait_for(condition, DEADLINE)


def job(name: str = "r1", function: str = "f", **policy) -> Job:
    return Job(function, name, {"n": name}, Policy(**policy))


def test_a_failing_event_is_tried_three_times_then_given_up_with_its_last_error():
    recorder = Recorder(failures=99)
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up, retry_delay=0.05)
    invoker.submit(job())
    recorder.wait_for(lambda: recorder.given_up)
    times = [at for _, at in recorder.attempts]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1  # one delay, then two
    (given, failure) = recorder.given_up[0]
    assert given.request_id == "r1" and given.event == {"n": "r1"}
    assert failure == Failure(200, "attempt failed: r1")
    assert invoker.close(0) == []


def test_the_retry_count_follows_the_policy_and_a_success_is_not_retried():
    recorder = Recorder(failures=1)
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up, retry_delay=0.01)
    invoker.submit(job("once", max_retries=0))
    invoker.submit(job("twice"))
    recorder.wait_for(lambda: recorder.given_up and len(recorder.attempts) == 3)
    assert invoker.close(DEADLINE) == []
    assert [j.request_id for j, _ in recorder.given_up] == ["once"]
    assert sorted(name for name, _ in recorder.attempts) == ["once", "twice", "twice"]


def test_an_event_whose_retry_would_come_after_its_maximum_age_is_given_up_then():
    recorder = Recorder(failures=99)
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up, retry_delay=60)
    invoker.submit(job(max_event_age=60))
    recorder.wait_for(lambda: recorder.given_up)
    assert len(recorder.attempts) == 1


def test_an_event_older_than_its_maximum_age_is_not_run():
    recorder = Recorder()
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up)
    old = job(max_event_age=60)
    old.created -= 61
    invoker.submit(old)
    recorder.wait_for(lambda: recorder.given_up)
    assert recorder.attempts == [] and recorder.given_up[0][1].code == 400


def test_at_most_the_concurrency_runs_at_once_per_function():
    hold = threading.Event()
    recorder = Recorder(hold=hold)
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up)
    for n in range(6):
        invoker.submit(job(f"a{n}", function="a", concurrency=2))
        invoker.submit(job(f"b{n}", function="b", concurrency=4))
    recorder.wait_for(lambda: recorder.running.get("a") == 2 and recorder.running.get("b") == 4)
    assert invoker.pending() == 12
    hold.set()
    recorder.wait_for(lambda: len(recorder.attempts) == 12)
    assert invoker.close(DEADLINE) == []
    assert recorder.most_at_once == {"a": 2, "b": 4}


def test_reserved_concurrency_zero_gives_events_up_unrun():
    recorder = Recorder()
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up)
    invoker.submit(job(concurrency=0))
    assert recorder.attempts == [] and recorder.given_up[0][1].code == 429


def test_an_error_in_the_attempt_fails_it_instead_of_stopping_the_queue():
    given_up = []
    invoker = AsyncInvoker(lambda job: 1 / 0, lambda job, failure: given_up.append(failure), retry_delay=0)
    invoker.submit(job(max_retries=0))
    assert invoker.close(DEADLINE) == []
    assert given_up[0].code == 500 and "ZeroDivisionError" in given_up[0].message


def test_closing_waits_for_queued_events_then_returns_those_left_and_refuses_new_ones():
    hold = threading.Event()
    recorder = Recorder(hold=hold)
    invoker = AsyncInvoker(recorder.attempt, recorder.give_up)
    for n in range(3):
        invoker.submit(job(f"r{n}", concurrency=1))
    recorder.wait_for(lambda: recorder.running.get("f") == 1)
    left = invoker.close(0.05)
    assert sorted(j.request_id for j in left) == ["r0", "r1", "r2"]
    with pytest.raises(RuntimeError, match="shutting down"):
        invoker.submit(job("late"))
    hold.set()
