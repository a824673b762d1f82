"""The one place tests/integration skips what LocalStack cannot check: a test marked
localstack_ignores(setting) is skipped on LocalStack, with the gaps table's row as the reason, and
runs on every other target."""

from __future__ import annotations

import pytest

from deployment.target_kind import TargetKind
from tests.integration import conftest


class Marked:
    """A collected test as the hook sees it, marked localstack_ignores(setting) or not at all."""

    def __init__(self, setting: str | None):
        self.marker = pytest.mark.localstack_ignores(setting).mark if setting else None

    def get_closest_marker(self, name: str):
        return self.marker if name == conftest.LOCALSTACK_IGNORES else None


def test_on_localstack_a_marked_test_is_skipped_with_localstacks_reason(monkeypatch):
    monkeypatch.setattr(conftest, "endpoint_kind", lambda: TargetKind("LocalStack", "4.14.0", "community"))
    with pytest.raises(pytest.skip.Exception) as skipped:
        conftest.pytest_runtest_setup(Marked("Policies"))
    assert str(skipped.value) == (
        "LocalStack 4.14.0 (community) does not apply Policies of AWS::IAM::Role: stored, never enforced: the "
        "functions may call anything (localstack-core/localstack/services/iam/provider.py)"
    )


@pytest.mark.parametrize("kind", [None, TargetKind()], ids=["local cloud or AWS", "another endpoint"])
def test_elsewhere_a_marked_test_runs(monkeypatch, kind):
    monkeypatch.setattr(conftest, "endpoint_kind", lambda: kind)
    conftest.pytest_runtest_setup(Marked("Policies"))


def test_an_unmarked_test_runs_on_localstack_too(monkeypatch):
    monkeypatch.setattr(conftest, "endpoint_kind", lambda: TargetKind("LocalStack", "4.14.0", "community"))
    conftest.pytest_runtest_setup(Marked(None))
