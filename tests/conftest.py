"""Fixtures shared by every suite: the project root, the templates rendered in memory, and the
check of every S3 event a local cloud sends."""

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.parser.models import S3Model
from pydantic import ValidationError

from generator.config import PROFILES
from generator.template import build_template
from localcloud import server as localcloud

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RECORDING_SERVER = Path(__file__).resolve().parent / "event_recording_server.py"


class EventLog:
    """The S3 events local clouds appended to one file, read a test at a time."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def new_events(self) -> list[dict]:
        """The events recorded since the last call."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as recorded:
            recorded.seek(self.offset)
            lines = recorded.readlines()
            self.offset = recorded.tell()
        return [json.loads(line) for line in lines]

    def invalid(self) -> list[str]:
        """Why each new event fails S3Model, if any does."""
        problems = []
        for event in self.new_events():
            try:
                S3Model.model_validate(event)
            except ValidationError as error:
                problems.append(f"{json.dumps(event)}: {error}")
        return problems


@pytest.fixture(scope="session")
def rendered() -> dict[str, dict]:
    """Profile name to its template as a dict, rendered once per session."""
    return {name: build_template(profile).to_dict() for name, profile in PROFILES.items()}


@pytest.fixture(scope="session")
def dev(rendered) -> dict:
    return rendered["dev"]


@pytest.fixture(scope="session")
def prod(rendered) -> dict:
    return rendered["prod"]


@pytest.fixture(scope="session", autouse=True)
def s3_event_log(tmp_path_factory) -> Iterator[EventLog]:
    """Every local cloud that localcloud.server.running() starts in this process (the suites', an
    in-process `deploy.py --local`'s) records the S3 events it sends here: it is started as
    tests/event_recording_server.py, which hands the server a LocalCloud option that records."""
    log = EventLog(tmp_path_factory.mktemp("s3-events") / "events.jsonl")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(localcloud, "SERVER_COMMAND", (sys.executable, "-P", str(RECORDING_SERVER), str(log.path)))
        yield log


@pytest.fixture(autouse=True)
def s3_events_match_the_documented_structure(s3_event_log) -> Iterator[None]:
    """After each test: every S3 event sent meanwhile validates against aws-lambda-powertools'
    S3Model, written by AWS from the documented event."""
    yield
    assert s3_event_log.invalid() == []
