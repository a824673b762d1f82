"""The redelivery option: which events are delivered twice and when, the held duplicate queued
once the first delivery was attempted, and bad fractions refused by the command line."""

from __future__ import annotations

import pytest

from localcloud import server
from localcloud.lambda_.redelivery import AFTER, CONCURRENT, Redelivery


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0, [None] * 6),
        (1, [CONCURRENT, AFTER, CONCURRENT, AFTER, CONCURRENT, AFTER]),
        (0.5, [None, CONCURRENT, None, AFTER, None, CONCURRENT]),
        (0.25, [None, None, None, CONCURRENT, None, None]),
    ],
)
def test_the_fraction_of_events_chosen_alternates_between_at_once_and_after(fraction, expected):
    redelivery = Redelivery(fraction)
    assert [redelivery.choose() for _ in expected] == expected


def test_a_held_duplicate_is_submitted_once_after_its_first_delivery_was_attempted():
    redelivery = Redelivery(1)
    submitted: list[str] = []
    redelivery.hold("first", "duplicate")
    redelivery.release("other", submitted.append)
    assert submitted == []
    redelivery.release("first", submitted.append)
    redelivery.release("first", submitted.append)  # a retry of the first delivery: no second duplicate
    assert submitted == ["duplicate"]


@pytest.mark.parametrize("value", ["-0.1", "1.5", "half", "nan"])
def test_a_bad_fraction_gets_a_clear_message(value, capsys):
    with pytest.raises(SystemExit) as stopped:
        server.main(["--redeliver", value])
    assert stopped.value.code == 2
    assert f"argument --redeliver: {value!r} is not a fraction: give a number from 0 to 1" in capsys.readouterr().err


def test_the_ends_of_the_range_are_accepted():
    assert server.fraction("0") == 0 and server.fraction("1") == 1


def test_the_fraction_given_reaches_the_server(monkeypatch):
    served = []
    monkeypatch.setattr(server, "serve", lambda *args, **options: served.append(options["redeliver"]))
    assert server.main(["--redeliver", "0.5"]) == 0
    assert served == [0.5]
