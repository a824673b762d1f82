"""localcloud/cloudwatch/alarm_evaluation.py: a metric alarm's new state, reason and reason data
from its datapoints, as CloudWatch decides them (periods, statistic, M out of N, comparison,
TreatMissingData, the premature transition, AWS/DynamoDB's ignored missing data); no server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from localcloud.cloudwatch.alarm_evaluation import (
    ALARM,
    INSUFFICIENT_DATA,
    OK,
    AlarmConfig,
    Datapoint,
    datapoints,
    evaluate,
    is_supported,
    period_start,
    period_starts,
)

MINUTE = timedelta(minutes=1)
NOW = datetime(2026, 12, 1, 23, 50, 7)


def config(**changes) -> AlarmConfig:
    settings = dict(
        namespace="AWS/Lambda",
        statistic="Sum",
        period=60,
        evaluation_periods=1,
        threshold=0.0,
        comparison="GreaterThanThreshold",
        treat_missing_data="notBreaching",
    )
    return AlarmConfig(**(settings | changes))


def points(*values: float | None) -> list[Datapoint | None]:
    """Datapoints of consecutive minutes ending at 23:49, oldest first (None: missing)."""
    starts = period_starts(NOW, MINUTE, len(values))
    return [None if value is None else Datapoint(start, value, 1) for start, value in zip(starts, values, strict=True)]


def test_periods_are_aligned_to_the_epoch_and_only_complete_ones_count():
    assert period_start(NOW, MINUTE) == datetime(2026, 12, 1, 23, 50)
    assert period_start(NOW, timedelta(seconds=3)) == datetime(2026, 12, 1, 23, 50, 6)
    assert period_starts(NOW, MINUTE, 2) == [datetime(2026, 12, 1, 23, 48), datetime(2026, 12, 1, 23, 49)]


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [("Sum", 3.0), ("Maximum", 2.0), ("Minimum", 1.0), ("Average", 1.5), ("SampleCount", 2.0)],
)
def test_each_period_gets_its_statistic_and_a_period_without_samples_is_missing(statistic, expected):
    starts = period_starts(NOW, MINUTE, 2)
    samples = [(starts[1] + timedelta(seconds=1), 1.0), (starts[1] + timedelta(seconds=59), 2.0), (NOW, 9.0)]
    missing, point = datapoints(samples, statistic, starts, MINUTE)
    assert missing is None and point == Datapoint(starts[1], expected, 2)


def test_one_breaching_minute_alarms_with_cloudwatchs_reason_and_reason_data():
    outcome = evaluate(config(), points(None, None, 1.0), OK, NOW)
    assert outcome.state == ALARM
    assert outcome.reason == (
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (01/12/26 23:49:00)] was greater than the "
        "threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )
    assert json.loads(outcome.reason_data) == {
        "version": "1.0",
        "queryDate": "2026-12-01T23:50:07.000+0000",
        "startDate": "2026-12-01T23:49:00.000+0000",
        "statistic": "Sum",
        "period": 60,
        "recentDatapoints": [1.0],
        "threshold": 0.0,
        "evaluatedDatapoints": [{"timestamp": "2026-12-01T23:49:00.000+0000", "sampleCount": 1.0, "value": 1.0}],
    }


def test_a_minute_within_the_threshold_is_ok_and_a_state_that_holds_changes_nothing():
    outcome = evaluate(config(), points(None, None, 0.0), ALARM, NOW)
    assert outcome.state == OK and outcome.reason.endswith(
        "[0.0 (01/12/26 23:49:00)] was not greater than the threshold (0.0) (minimum 1 datapoint for ALARM -> OK "
        "transition)."
    )
    assert evaluate(config(), points(None, None, 0.0), OK, NOW) is None
    assert evaluate(config(), points(None, None, 5.0), ALARM, NOW) is None


@pytest.mark.parametrize(
    ("treatment", "state", "reason"),
    [
        (
            "notBreaching",
            OK,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was "
            "treated as [NonBreaching].",
        ),
        (
            "breaching",
            ALARM,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was "
            "treated as [Breaching].",
        ),
        (
            None,
            INSUFFICIENT_DATA,
            "Insufficient Data: no datapoints were received for 1 period and 1 missing "
            "datapoint was treated as [Missing].",
        ),
    ],
)
def test_without_data_the_missing_data_treatment_decides(treatment, state, reason):
    before = OK if state != OK else ALARM
    outcome = evaluate(config(treat_missing_data=treatment), points(None, None, None), before, NOW)
    assert (outcome.state, outcome.reason) == (state, reason)


def test_ignore_keeps_the_state_and_dynamodb_alarms_always_ignore_missing_data():
    assert evaluate(config(treat_missing_data="ignore"), points(None, None, None), ALARM, NOW) is None
    dynamodb = config(namespace="AWS/DynamoDB", treat_missing_data="notBreaching")
    assert evaluate(dynamodb, points(None, None, None), INSUFFICIENT_DATA, NOW) is None
    assert evaluate(dynamodb, points(None, None, 1.0), INSUFFICIENT_DATA, NOW).state == ALARM
    assert evaluate(dynamodb, points(None, 1.0, None), INSUFFICIENT_DATA, NOW) is None  # no look-back either


def test_m_out_of_n_counts_breaching_datapoints_in_the_last_n_periods():
    two_of_three = config(evaluation_periods=3, datapoints_to_alarm=2)
    assert evaluate(two_of_three, points(None, None, 1.0, 0.0, 1.0), OK, NOW).state == ALARM
    assert evaluate(two_of_three, points(None, None, 1.0, 0.0, 0.0), ALARM, NOW).state == OK
    assert evaluate(two_of_three, points(1.0, 1.0, 0.0, 0.0, 0.0), ALARM, NOW).state == OK  # older than N
    # notBreaching fills the gaps as good datapoints, breaching as bad ones
    assert evaluate(two_of_three, points(None, None, 1.0, None, None), ALARM, NOW).state == OK
    breaching = config(evaluation_periods=3, datapoints_to_alarm=2, treat_missing_data="breaching")
    assert evaluate(breaching, points(None, None, 0.0, None, None), OK, NOW).state == ALARM


def test_missing_data_looks_back_over_the_evaluation_range_for_n_datapoints():
    three = config(evaluation_periods=3, treat_missing_data="missing")
    assert three.range_periods == 5
    assert evaluate(three, points(1.0, 1.0, None, 1.0, None), OK, NOW).state == ALARM
    assert evaluate(three, points(0.0, 1.0, None, 1.0, None), ALARM, NOW).state == OK


def test_a_premature_alarm_when_the_oldest_breach_is_old_enough_and_the_rest_missing():
    two_of_three = config(evaluation_periods=3, datapoints_to_alarm=2, treat_missing_data="missing")
    assert evaluate(two_of_three, points(None, None, None, 1.0, None), OK, NOW).state == ALARM
    assert evaluate(two_of_three, points(None, None, None, None, 1.0), INSUFFICIENT_DATA, NOW).state == OK
    assert evaluate(two_of_three, points(None, None, 0.0, None, None), ALARM, NOW).state == OK


def test_the_reason_data_names_the_alarms_unit():
    outcome = evaluate(config(unit="Count"), points(2.0), OK, NOW)
    assert json.loads(outcome.reason_data)["unit"] == "Count"


@pytest.mark.parametrize(
    ("comparison", "value", "state"),
    [
        ("GreaterThanOrEqualToThreshold", 5.0, ALARM),
        ("LessThanThreshold", 4.0, ALARM),
        ("LessThanOrEqualToThreshold", 5.0, ALARM),
        ("LessThanThreshold", 5.0, OK),
    ],
)
def test_each_comparison_operator(comparison, value, state):
    outcome = evaluate(config(comparison=comparison, threshold=5.0), points(value), INSUFFICIENT_DATA, NOW)
    assert outcome.state == state


def test_alarms_it_cannot_evaluate_are_left_alone():
    assert is_supported(config())
    assert not is_supported(config(statistic="p99"))
    assert not is_supported(config(comparison="LessThanLowerOrGreaterThanUpperThreshold"))
