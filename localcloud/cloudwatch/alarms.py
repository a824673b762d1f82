"""CloudWatch's evaluation of every metric alarm of every account and region on its metric's
datapoints (alarm_evaluation), and the state change it decides (alarm_actions). Periods are
compressed by the alarm-period scale: with 0.05 a 60-second period is 3 seconds of datapoints.
Alarms on metric math (Metrics) and composite alarms are left as they are."""

from __future__ import annotations

from datetime import datetime, timedelta

from moto.cloudwatch.models import Alarm, cloudwatch_backends

from localcloud.cloudwatch import alarm_actions, alarm_evaluation, metric_data
from localcloud.cloudwatch.alarm_evaluation import AlarmConfig


def config_of(alarm: Alarm) -> AlarmConfig:
    return AlarmConfig(
        namespace=alarm.namespace,
        statistic=alarm.statistic,
        period=int(alarm.period),
        evaluation_periods=int(alarm.evaluation_periods),
        threshold=float(alarm.threshold),
        comparison=alarm.comparison_operator,
        datapoints_to_alarm=int(alarm.datapoints_to_alarm) if alarm.datapoints_to_alarm else None,
        treat_missing_data=alarm.treat_missing_data,
        unit=alarm.unit,
    )


def evaluate_alarm(account_id: str, region: str, alarm: Alarm, scale: float, minute: datetime) -> None:
    """Evaluate one metric alarm on the complete periods before minute; change its state if due."""
    config = config_of(alarm)
    if alarm.metric_data_queries or alarm.rule or not alarm_evaluation.is_supported(config):
        return
    period = timedelta(seconds=config.period * scale)
    starts = alarm_evaluation.period_starts(minute, period, config.range_periods)
    dimensions = {dimension.name: dimension.value for dimension in alarm.dimensions}
    samples = metric_data.samples(
        account_id, region, alarm.namespace, alarm.metric_name, dimensions, alarm.unit, starts[0]
    )
    points = alarm_evaluation.datapoints(samples, config.statistic, starts, period)
    outcome = alarm_evaluation.evaluate(config, points, alarm.state_value, metric_data.now())
    if outcome:
        alarm_actions.change_state(alarm, account_id, outcome)


def evaluator(scale: float):
    """The alarm scheduler's task: every metric alarm evaluated at each minute's start."""

    def evaluate_alarms(minute: datetime) -> None:
        for account_id, regions in list(cloudwatch_backends.items()):
            for region, backend in list(regions.items()):
                for alarm in list(backend.alarms.values()):
                    evaluate_alarm(account_id, region, alarm, scale, minute)

    return evaluate_alarms
