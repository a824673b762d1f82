"""The metrics AWS services publish to CloudWatch, as PutMetricData would store them (so
GetMetricStatistics and GetMetricData answer them), and the samples of one metric, matched on its
exact set of dimensions as CloudWatch matches them (moto's own queries match a subset)."""

from __future__ import annotations

from datetime import UTC, datetime

from moto.cloudwatch.models import MetricDatum, MetricDatumBase, cloudwatch_backends

# Every metric the local cloud emits is a count.
COUNT = "Count"


def now() -> datetime:
    """The current time as moto stores metric timestamps: UTC, without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def put(
    account_id: str,
    region: str,
    namespace: str,
    name: str,
    dimensions: dict[str, str],
    value: float,
    timestamp: datetime | None = None,
) -> None:
    """One datapoint of a Count metric, at timestamp (now by default)."""
    datum = {
        "MetricName": name,
        "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
        "Value": value,
        "Unit": COUNT,
        "Timestamp": timestamp or now(),
    }
    cloudwatch_backends[account_id][region].put_metric_data(namespace, [datum])


def samples(
    account_id: str,
    region: str,
    namespace: str,
    name: str,
    dimensions: dict[str, str],
    unit: str | None,
    since: datetime,
) -> list[tuple[datetime, float]]:
    """(timestamp, value) of every single-value datapoint of the metric since `since`, oldest first;
    with unit, only those of that unit."""
    metric = (namespace, name, dimensions)
    stored = list(cloudwatch_backends[account_id][region].metric_data)
    found = [
        (moment(datum), value(datum))
        for datum in stored
        if isinstance(datum, MetricDatum) and of(datum, metric, unit, since)
    ]
    return sorted(found, key=lambda pair: pair[0])


def moment(datum: MetricDatumBase) -> datetime:
    return datum.timestamp


def value(datum: MetricDatum) -> float:
    return datum.value


def of(datum: MetricDatumBase, metric: tuple[str, str, dict[str, str]], unit: str | None, since: datetime) -> bool:
    """Whether a datum is of the metric (namespace, name, exact dimensions), of unit, since `since`."""
    namespace, name, dimensions = metric
    return (
        datum.namespace == namespace
        and datum.name == name
        and {dimension.name: dimension.value for dimension in datum.dimensions} == dimensions
        and (unit is None or datum.unit == unit)
        and datum.timestamp >= since
    )
