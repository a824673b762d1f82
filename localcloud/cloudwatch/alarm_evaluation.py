"""How CloudWatch evaluates a metric alarm (CloudWatch user guide, "Alarm evaluation" and
"Configuring how CloudWatch alarms treat missing data"): the statistic per period, the last
EvaluationPeriods of them, DatapointsToAlarm, the comparison, TreatMissingData, and the state,
reason and reason data a change gets. Pure: datapoints in, an Outcome (or None: no change) out."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

OK, ALARM, INSUFFICIENT_DATA = "OK", "ALARM", "INSUFFICIENT_DATA"
COMPARISONS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda value, threshold: value >= threshold),
    "GreaterThanThreshold": ("greater than", lambda value, threshold: value > threshold),
    "LessThanThreshold": ("less than", lambda value, threshold: value < threshold),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda value, threshold: value <= threshold),
}
STATISTICS: dict[str, Callable[[list[float]], float]] = {
    "Sum": sum,
    "Average": lambda values: sum(values) / len(values),
    "Minimum": min,
    "Maximum": max,
    "SampleCount": len,
}
# How StateReason names a missing-data treatment.
TREATED_AS = {"breaching": "Breaching", "notBreaching": "NonBreaching", "missing": "Missing", "ignore": "Ignore"}
# "Alarms that evaluate metrics in the AWS/DynamoDB namespace always ignore missing data even if
# you choose a different option for TreatMissingData. When an AWS/DynamoDB metric has missing
# data, alarms that evaluate that metric remain in their current state." (PutMetricAlarm)
ALWAYS_IGNORES_MISSING = "AWS/DynamoDB"


@dataclass(frozen=True)
class AlarmConfig:
    """What evaluation reads of a metric alarm (DescribeAlarms' names)."""

    namespace: str
    statistic: str
    period: int
    evaluation_periods: int
    threshold: float
    comparison: str
    datapoints_to_alarm: int | None = None
    treat_missing_data: str | None = None
    unit: str | None = None

    @property
    def needed(self) -> int:
        return self.datapoints_to_alarm or self.evaluation_periods

    @property
    def missing(self) -> str:
        if self.namespace == ALWAYS_IGNORES_MISSING:
            return "ignore"
        return self.treat_missing_data or "missing"

    @property
    def range_periods(self) -> int:
        """CloudWatch "attempts to retrieve a higher number of data points than the number specified
        as Evaluation Periods" (for missing and ignore): a third more, at least two."""
        return self.evaluation_periods + max(self.evaluation_periods // 3, 2)

    def breaches(self, value: float) -> bool:
        return COMPARISONS[self.comparison][1](value, self.threshold)


@dataclass(frozen=True)
class Datapoint:
    """One period's statistic: its start, value and how many samples it summarises."""

    start: datetime
    value: float
    sample_count: int


@dataclass(frozen=True)
class Outcome:
    """The state an evaluation sets, with CloudWatch's StateReason and StateReasonData."""

    state: str
    reason: str
    reason_data: str


def is_supported(config: AlarmConfig) -> bool:
    return config.statistic in STATISTICS and config.comparison in COMPARISONS and config.period > 0


def period_start(moment: datetime, period: timedelta) -> datetime:
    """The start of the period that holds moment, aligned as CloudWatch aligns periods (to
    multiples of the period since the epoch)."""
    epoch = datetime(1970, 1, 1, tzinfo=moment.tzinfo)
    return epoch + period * math.floor((moment - epoch) / period)


def period_starts(now: datetime, period: timedelta, count: int) -> list[datetime]:
    """The starts of the last `count` complete periods before now, oldest first."""
    current = period_start(now, period)
    return [current - period * back for back in range(count, 0, -1)]


def datapoints(
    samples: list[tuple[datetime, float]], statistic: str, starts: list[datetime], period: timedelta
) -> list[Datapoint | None]:
    """Each period's statistic of the samples (None for a period without any), oldest first."""
    points: list[Datapoint | None] = []
    for start in starts:
        values = [value for stamp, value in samples if start <= stamp < start + period]
        points.append(Datapoint(start, float(STATISTICS[statistic](values)), len(values)) if values else None)
    return points


def evaluate(config: AlarmConfig, points: list[Datapoint | None], state: str, query_date: datetime) -> Outcome | None:
    """The new state of an alarm in `state` given the datapoints of its evaluation range (oldest
    first, config.range_periods of them): None when it stays as it is."""
    window = points[-config.evaluation_periods :]
    if config.namespace == ALWAYS_IGNORES_MISSING and None in window:
        return None
    present = [point for point in points if point is not None]
    missing = config.missing
    fills = missing in ("breaching", "notBreaching")
    # breaching and notBreaching fill the window's gaps; missing and ignore look back over the
    # range for the most recent N datapoints.
    considered = window if fills else present[-config.evaluation_periods :]
    if all(point is None for point in considered):
        return no_data(config, window, state, query_date)
    breaching = [config.breaches(point.value) if point else missing == "breaching" for point in considered]
    new_state = ALARM if sum(breaching) >= config.needed or premature(config, window) else OK
    if new_state == state:
        return None
    counted = [p for p, b in zip(considered, breaching, strict=True) if b == (new_state == ALARM)]
    values = [point for point in reversed(considered) if point is not None]
    words = COMPARISONS[config.comparison][0]
    plural = "s" if config.needed > 1 else ""
    minimum = f"minimum {config.needed} datapoint{plural} for {state} -> {new_state} transition"
    reason = (
        f"Threshold Crossed: {len(counted)} out of the last {len(considered)} datapoints "
        f"[{', '.join(f'{p.value} ({p.start:%d/%m/%y %H:%M:%S})' for p in values)}] was "
        f"{'' if new_state == ALARM else 'not '}{words} the threshold ({config.threshold}) ({minimum})."
    )
    return Outcome(new_state, reason, reason_data(config, considered, query_date))


def premature(config: AlarmConfig, window: list[Datapoint | None]) -> bool:
    """CloudWatch's premature transition (missing and ignore): ALARM when the oldest breaching
    datapoint of the last N periods is at least DatapointsToAlarm periods old and every more
    recent one is breaching or missing, though fewer than DatapointsToAlarm were received."""
    if config.missing not in ("missing", "ignore"):
        return False
    for age, point in zip(range(len(window), 0, -1), window, strict=True):
        if point is not None and config.breaches(point.value):
            later = window[len(window) - age + 1 :]
            return age >= config.needed and all(p is None or config.breaches(p.value) for p in later)
    return False


def no_data(config: AlarmConfig, window: list[Datapoint | None], state: str, query_date: datetime) -> Outcome | None:
    """No datapoint where the alarm looks: INSUFFICIENT_DATA (missing), ALARM (breaching), OK
    (notBreaching) or unchanged (ignore)."""
    missing = config.missing
    new_state = {"missing": INSUFFICIENT_DATA, "breaching": ALARM, "notBreaching": OK}.get(missing, state)
    if new_state == state:
        return None
    periods = config.evaluation_periods
    plural = periods > 1
    treated = (
        f"no datapoints were received for {periods} period{'s' if plural else ''} and {periods} missing "
        f"datapoint{'s were' if plural else ' was'} treated as [{TREATED_AS[missing]}]."
    )
    prefix = "Insufficient Data" if new_state == INSUFFICIENT_DATA else "Threshold Crossed"
    return Outcome(new_state, f"{prefix}: {treated}", reason_data(config, window, query_date))


def stamp(moment: datetime) -> str:
    """CloudWatch's timestamps in reason data: 2024-05-16T10:43:00.000+0000."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+0000"


def reason_data(config: AlarmConfig, considered: list[Datapoint | None], query_date: datetime) -> str:
    """StateReasonData as CloudWatch writes it for a metric alarm."""
    present = [point for point in considered if point is not None]
    data: dict = {"version": "1.0", "queryDate": stamp(query_date)}
    if present:
        data["startDate"] = stamp(present[0].start)
    data |= {
        "statistic": config.statistic,
        "period": config.period,
        "recentDatapoints": [point.value for point in present],
        "threshold": config.threshold,
    }
    if config.unit:
        data["unit"] = config.unit
    data["evaluatedDatapoints"] = [
        {"timestamp": stamp(point.start), "sampleCount": float(point.sample_count), "value": point.value}
        for point in reversed(present)
    ]
    return json.dumps(data)
