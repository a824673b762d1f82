"""The phases of a deploy or destroy run: where an interruption finds it (deployment/messages.py
says what each one leaves behind)."""

from __future__ import annotations

from enum import Enum


class Phase(Enum):
    CHECKING = "checking"
    WAITING = "waiting"
    RECREATING = "recreating"
    CONTINUING_ROLLBACK = "continuing rollback"
    PREPARING = "preparing"
    EXECUTING = "executing"
    EMPTYING = "emptying"
    DESTROYING = "destroying"
    SAMPLE = "sample"
