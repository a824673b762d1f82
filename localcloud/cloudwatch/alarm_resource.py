"""AWS::CloudWatch::Alarm, which moto's CloudFormation lacks: a metric alarm put into moto's
CloudWatch backend (so DescribeAlarms lists it), replaced on update and deleted with its stack."""

from __future__ import annotations

from moto.cloudwatch.models import cloudwatch_backends

# The alarm's template properties and put_metric_alarm's parameters, in AWS's spelling and moto's.
PARAMETERS = {
    "Namespace": "namespace",
    "MetricName": "metric_name",
    "ComparisonOperator": "comparison_operator",
    "EvaluationPeriods": "evaluation_periods",
    "DatapointsToAlarm": "datapoints_to_alarm",
    "Period": "period",
    "Threshold": "threshold",
    "Statistic": "statistic",
    "ExtendedStatistic": "extended_statistic",
    "AlarmDescription": "description",
    "Unit": "unit",
    "TreatMissingData": "treat_missing_data",
    "EvaluateLowSampleCountPercentile": "evaluate_low_sample_count_percentile",
    "ThresholdMetricId": "threshold_metric_id",
}
NUMBERS = {"EvaluationPeriods": int, "DatapointsToAlarm": int, "Period": int, "Threshold": float}
LISTS = {
    "Dimensions": "dimensions",
    "AlarmActions": "alarm_actions",
    "OKActions": "ok_actions",
    "InsufficientDataActions": "insufficient_data_actions",
}


def put_alarm(name: str, properties: dict, account_id: str, region_name: str) -> None:
    """Create or replace the metric alarm the properties describe, named name."""
    arguments = {
        PARAMETERS[key]: NUMBERS.get(key, str)(value) for key, value in properties.items() if key in PARAMETERS
    }
    arguments.setdefault("description", "")
    for key, parameter in LISTS.items():
        arguments[parameter] = list(properties.get(key, []))
    arguments["actions_enabled"] = str(properties.get("ActionsEnabled", "true")).lower() == "true"
    cloudwatch_backends[account_id][region_name].put_metric_alarm(name=name, **arguments)


def remove_alarm(name: str, account_id: str, region_name: str) -> None:
    cloudwatch_backends[account_id][region_name].delete_alarms([name])
