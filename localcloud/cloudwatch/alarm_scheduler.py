"""CloudWatch's clock: once a minute (compressed by the alarm-period scale) the services' sampled
metrics are taken and every metric alarm is evaluated, at the start of each minute (aligned to the
epoch, as CloudWatch's datapoints are) plus a tenth of it. Owned by the LocalCloud, started and
stopped with the server; knows nothing of moto."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from localcloud.cloudwatch.alarm_evaluation import period_start

LOG = logging.getLogger(__name__)
# A minute of CloudWatch's, in seconds, before the scale applies.
MINUTE = 60.0
# How far into each minute the tasks run (a sample taken then is stamped with the minute's start).
OFFSET = 0.1
# Each task gets the start of the current (scaled) minute, in UTC without a time zone (moto's).
Task = Callable[[datetime], None]


class AlarmScheduler:
    """Runs the tasks, in order, once per scaled minute on a thread of its own until close()."""

    def __init__(self, scale: float, tasks: list[Task]):
        self.interval = MINUTE * scale
        self.tasks = tasks
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="cloudwatch-alarms", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def run(self) -> None:
        period = timedelta(seconds=self.interval)
        while not self.stopping.wait(self.delay(time.time())):
            minute = period_start(datetime.now(UTC), period).replace(tzinfo=None)
            for task in self.tasks:
                try:
                    task(minute)
                except Exception:  # a bug in one task must not stop CloudWatch's clock
                    LOG.exception("the alarm scheduler's task %s failed", getattr(task, "__name__", task))

    def delay(self, now: float) -> float:
        """Seconds from now to the next run: OFFSET into the next (scaled) minute."""
        next_run = (now // self.interval) * self.interval + OFFSET * self.interval
        return next_run - now if next_run > now else next_run + self.interval - now

    def close(self) -> None:
        """Stop, and wait for a run under way to finish."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()
