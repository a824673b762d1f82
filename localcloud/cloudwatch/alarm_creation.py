"""PutMetricAlarm as CloudWatch does it: a new alarm starts in INSUFFICIENT_DATA ("Unchecked:
Initial alarm creation"; moto starts it in OK) and is then evaluated; putting an alarm that exists
replaces its configuration and keeps its state and history (moto starts it over)."""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import Alarm, CloudWatchBackend

from localcloud.cloudwatch.alarm_evaluation import INSUFFICIENT_DATA


def put_metric_alarm(cloud: Any, original: Any, self: CloudWatchBackend, name: str, *args: Any, **kwargs: Any) -> Alarm:
    before = self.alarms.get(name)
    alarm = original(self, name, *args, **kwargs)
    keep_state(alarm, before)
    return alarm


def keep_state(alarm: Alarm, before: Alarm | None) -> None:
    """The state of the alarm put: INSUFFICIENT_DATA for a new one, else the one it replaces'."""
    if before is None:
        alarm.state_value = INSUFFICIENT_DATA
        return
    alarm.state_value = before.state_value
    alarm.state_reason = before.state_reason
    alarm.state_reason_data = before.state_reason_data
    alarm.state_updated_timestamp = before.state_updated_timestamp
    alarm.history = before.history
