"""With --local, the local cloud starts before the deploy tool imports boto3 and the rest, so that
its start and the tool's own preparation proceed at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from localcloud.server import Starting


@contextmanager
def started_for(argv: list[str]) -> Iterator[Starting | None]:
    """A local cloud (HTTPS) starting now if argv asks for --local, stopped on leaving; else None."""
    if "--local" not in argv:
        yield None
        return
    with Starting(tls=True) as cloud:
        yield cloud
