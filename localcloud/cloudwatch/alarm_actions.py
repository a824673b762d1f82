"""A metric alarm's state change as CloudWatch records and announces it: the alarm's StateValue,
StateReason, StateReasonData and StateUpdatedTimestamp (moto's update_state, which keeps the old
state in the alarm's history), then SNS Publish to each topic of the actions for the new state
(AlarmActions, OKActions, InsufficientDataActions) when actions are enabled, with the Subject and
JSON Message CloudWatch sends ("Using Amazon SNS notifications with CloudWatch alarms")."""

from __future__ import annotations

import functools
import json
import logging
import re

import botocore.session
from moto.cloudwatch.models import Alarm
from moto.sns.models import sns_backends

from localcloud.cloudwatch.alarm_evaluation import ALARM, OK, Outcome, stamp

LOG = logging.getLogger(__name__)
# SNS refuses a Subject longer than 100 characters.
SUBJECT_LIMIT = 100


@functools.cache
def region_names() -> dict[str, str]:
    """Each region's long name (US East (N. Virginia)), as botocore's endpoint data spells it."""
    endpoints = botocore.session.get_session().get_data("endpoints")
    return {
        region: about.get("description", region)
        for partition in endpoints["partitions"]
        for region, about in partition["regions"].items()
    }


def region_name(region: str) -> str:
    return region_names().get(region, region)


def message(alarm: Alarm, account_id: str, old_state: str) -> str:
    """The JSON Message CloudWatch publishes for a metric alarm's state change."""
    statistic = re.sub(r"(?<!^)(?=[A-Z])", "_", alarm.statistic or "").upper()  # SampleCount: SAMPLE_COUNT
    trigger = {
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
        **({"ExtendedStatistic": alarm.extended_statistic} if alarm.extended_statistic else {"Statistic": statistic}),
        "Unit": alarm.unit,
        "Dimensions": [{"value": dimension.value, "name": dimension.name} for dimension in alarm.dimensions],
        "Period": alarm.period,
        "EvaluationPeriods": alarm.evaluation_periods,
        "DatapointsToAlarm": alarm.datapoints_to_alarm or alarm.evaluation_periods,
        "ComparisonOperator": alarm.comparison_operator,
        "Threshold": float(alarm.threshold),
        "TreatMissingData": alarm.treat_missing_data or "missing",
        "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or "",
    }
    return json.dumps(
        {
            "AlarmName": alarm.name,
            "AlarmDescription": alarm.description or None,
            "AWSAccountId": account_id,
            "AlarmConfigurationUpdatedTimestamp": stamp(alarm.configuration_updated_timestamp),
            "NewStateValue": alarm.state_value,
            "NewStateReason": alarm.state_reason,
            "StateChangeTime": stamp(alarm.state_updated_timestamp),
            "Region": region_name(alarm.region_name),
            "AlarmArn": alarm.alarm_arn,
            "OldStateValue": old_state,
            "OKActions": list(alarm.ok_actions),
            "AlarmActions": list(alarm.alarm_actions),
            "InsufficientDataActions": list(alarm.insufficient_data_actions),
            "Trigger": trigger,
        }
    )


def subject(alarm: Alarm) -> str:
    """ALARM: "name" in US East (N. Virginia), cut to what SNS takes."""
    return f'{alarm.state_value}: "{alarm.name}" in {region_name(alarm.region_name)}'[:SUBJECT_LIMIT]


def actions_for(alarm: Alarm) -> list[str]:
    return {ALARM: alarm.alarm_actions, OK: alarm.ok_actions}.get(alarm.state_value, alarm.insufficient_data_actions)


def change_state(alarm: Alarm, account_id: str, outcome: Outcome) -> None:
    """Set the alarm's new state, then notify the topics of its actions for that state. A topic
    that is gone or refuses the message fails that action only (logged), as in CloudWatch."""
    old_state = alarm.state_value
    alarm.update_state(outcome.reason, outcome.reason_data, outcome.state)
    if not alarm.actions_enabled:
        return
    for action in actions_for(alarm):
        _, _, service, region, account = action.split(":")[:5]
        if service != "sns":
            LOG.error("alarm %s: action %s not run (the local cloud runs SNS actions only)", alarm.name, action)
            continue
        try:
            sns_backends[account][region].publish(message(alarm, account_id, old_state), action, subject=subject(alarm))
        except Exception as error:  # noqa: BLE001 - any failure of the topic fails the action, not the evaluation
            LOG.error("alarm %s: failed to execute action %s: %s", alarm.name, action, error)
