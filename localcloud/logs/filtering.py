"""CloudWatch Logs applies filter patterns: FilterLogEvents and StartLiveTail answer only the events
a pattern matches, a subscription filter delivers only those, and FilterLogEvents,
PutSubscriptionFilter and PutMetricFilter refuse a pattern AWS refuses, with
InvalidParameterException. (moto matches every event for a pattern it cannot read.)"""

from __future__ import annotations

import inspect

from moto.logs.exceptions import InvalidParameterException
from moto.logs.models import LogStream

from localcloud.logs.filter_patterns import InvalidFilterPattern, Pattern, parse


def parsed(pattern: str | None) -> Pattern:
    """The pattern, or AWS's refusal of it."""
    try:
        return parse(pattern)
    except InvalidFilterPattern as refused:
        raise InvalidParameterException(msg=str(refused)) from None


def event_filter(cloud, original, pattern: str | None) -> Pattern:
    """In place of moto's EventMessageFilter: what matches(message) each event."""
    return parsed(pattern)


def refusing_invalid(cloud, original, *args, **kwargs):
    """moto's original, once its filter_pattern argument is one AWS accepts (refused before any
    stream is read, also when the group has no events)."""
    parsed(inspect.signature(original).bind(*args, **kwargs).arguments["filter_pattern"])
    return original(*args, **kwargs)


def send_matching_events(cloud, original, stream: LogStream, service, destination_arn, filter_name, log_events):
    """A subscription filter's destination receives the events its pattern matches, and nothing
    when none does."""
    pattern = parsed(stream.log_group.subscription_filters[filter_name].filter_pattern)
    matching = [event for event in log_events if pattern.matches(event["message"])]
    if matching:
        original(stream, service, destination_arn, filter_name, matching)
