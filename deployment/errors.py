"""The two ways a deploy run ends without success, each with the message the user reads."""

from __future__ import annotations


class DeploymentFailed(Exception):
    """A stack operation ended in failure; the message is its root cause."""


class Stopped(Exception):
    """The run stopped before changing anything; the message says why and what to do. exit_code:
    2 when the run was refused (usage, approval nobody could give), 1 otherwise."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code
