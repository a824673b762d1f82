"""A subscription filter's destination receives only the events its pattern matches (moto sends
every event), and nothing when none matches."""

from __future__ import annotations

from types import SimpleNamespace

from localcloud.logs.filtering import send_matching_events

EVENTS = [
    {"id": 1, "timestamp": 1, "message": '{"level": "INFO", "message": "logged upload"}'},
    {"id": 2, "timestamp": 2, "message": '{"level": "ERROR", "message": "could not log the record"}'},
]


def stream_with_filter(pattern: str) -> SimpleNamespace:
    subscription = SimpleNamespace(filter_pattern=pattern)
    return SimpleNamespace(log_group=SimpleNamespace(subscription_filters={"errors": subscription}))


def delivered(pattern: str) -> list[list[dict]]:
    sent: list[list[dict]] = []
    stream = stream_with_filter(pattern)
    send_matching_events(None, lambda *args: sent.append(args[4]), stream, "lambda", "arn", "errors", EVENTS)
    return sent


def test_only_the_matching_events_are_delivered():
    assert delivered('{ $.level = "ERROR" }') == [[EVENTS[1]]]
    assert delivered("") == [EVENTS]


def test_nothing_is_delivered_when_no_event_matches():
    assert delivered('{ $.level = "WARNING" }') == []
