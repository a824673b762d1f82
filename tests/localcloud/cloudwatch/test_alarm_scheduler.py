"""localcloud/cloudwatch/alarm_scheduler.py: CloudWatch's clock runs its tasks once a scaled
minute, at the minute's start plus a tenth, hands them the minute's start, survives a failing task
and stops with no thread left behind."""

from __future__ import annotations

import threading
from datetime import datetime

from localcloud.cloudwatch.alarm_scheduler import AlarmScheduler

SCALE = 0.01  # a minute of 0.6 seconds


def test_the_next_run_is_a_tenth_into_the_next_scaled_minute():
    scheduler = AlarmScheduler(0.05, [])  # 3-second minutes
    assert abs(scheduler.delay(3000.0) - 0.3) < 1e-9
    assert abs(scheduler.delay(3000.5) - 2.8) < 1e-9


def test_tasks_run_in_order_each_minute_after_a_failing_one_and_stop_with_the_scheduler():
    minutes: list[datetime] = []
    ran = threading.Semaphore(0)

    def failing(minute: datetime) -> None:
        raise RuntimeError("a bug")

    def recording(minute: datetime) -> None:
        minutes.append(minute)
        ran.release()

    scheduler = AlarmScheduler(SCALE, [failing, recording])
    scheduler.start()
    try:
        assert ran.acquire(timeout=10) and ran.acquire(timeout=10)
    finally:
        scheduler.close()
    assert not scheduler.thread.is_alive()
    assert minutes[1] > minutes[0] and minutes[0].tzinfo is None
    since_epoch = [(minute - datetime(1970, 1, 1)).total_seconds() / 0.6 for minute in minutes]
    assert all(abs(count - round(count)) < 1e-6 for count in since_epoch)  # aligned to 0.6-second minutes
    after = len(minutes)
    assert not ran.acquire(timeout=1.5) and len(minutes) == after  # nothing runs once closed
