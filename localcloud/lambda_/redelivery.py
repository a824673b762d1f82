"""At-least-once delivery on request: which asynchronous events Lambda's queue delivers a second
time, and when (at once, beside the first delivery, or once the first delivery's first attempt
has finished)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

# When a chosen event's duplicate is queued: beside the first delivery, or after its first attempt.
CONCURRENT = "concurrent"
AFTER = "after"


class Redelivery:
    """Chooses by counting: the n-th event (from 1) is delivered twice when floor(n * fraction)
    grows, so fraction 1 duplicates every event and 0.5 every second one; the chosen events
    alternate between a duplicate queued at once and one queued after the first attempt."""

    def __init__(self, fraction: float):
        self.fraction = fraction
        self.events = 0
        self.chosen = 0
        self.later: dict[str, Any] = {}
        self.lock = threading.Lock()

    def choose(self) -> str | None:
        """For the next event: CONCURRENT, AFTER or None (delivered once)."""
        with self.lock:
            self.events += 1
            if math.floor(self.events * self.fraction) == math.floor((self.events - 1) * self.fraction):
                return None
            self.chosen += 1
            return CONCURRENT if self.chosen % 2 else AFTER

    def hold(self, request_id: str, duplicate: Any) -> None:
        """Keep a duplicate to queue once the delivery with this request id has been attempted."""
        with self.lock:
            self.later[request_id] = duplicate

    def release(self, request_id: str, submit: Callable[[Any], None]) -> None:
        """The delivery with this request id was attempted: submit the duplicate held for it."""
        with self.lock:
            duplicate = self.later.pop(request_id, None)
        if duplicate is not None:
            submit(duplicate)
