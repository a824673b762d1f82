"""Contract of localcloud/moto_internals.py: the pinned moto is installed, every internal the local
cloud touches (found in its source) is listed and still there as expected, and nothing listed is
unused."""

from __future__ import annotations

import ast

import moto
import pytest

from localcloud import moto_internals
from localcloud.moto_internals import Internal


def unlisted(touched: dict[str, set[str]], listed: list[Internal]) -> list[str]:
    """Touched internals no listed entry names (an entry under a touched class or module names it)."""
    paths = [internal.path for internal in listed]
    return sorted(
        f"{path} (used by {', '.join(sorted(touched[path]))})"
        for path in touched
        if not any(entry == path or entry.startswith(path + ".") for entry in paths)
    )


def unused(touched: dict[str, set[str]], listed: list[Internal]) -> list[str]:
    """Listed internals the source does not touch (the registry's count as touched)."""
    targets = {internal.path for internal in moto_internals.registered()}
    return sorted(internal.path for internal in listed if internal.path not in touched and internal.path not in targets)


def touched_by(source: str) -> set[str]:
    visitor = moto_internals.Touches()
    visitor.visit(ast.parse(source))
    return visitor.found


def test_the_pinned_moto_is_the_one_the_local_cloud_was_written_for():
    assert moto.__version__ == moto_internals.MOTO_VERSION


def test_every_listed_internal_is_still_there():
    assert moto_internals.problems() == []


def test_every_internal_the_local_cloud_touches_is_listed_and_every_listed_one_is_touched():
    touched, listed = moto_internals.touches(), moto_internals.internals()
    assert unlisted(touched, listed) == [], "add these to READ in localcloud/moto_internals.py"
    assert unused(touched, listed) == [], "remove these from READ in localcloud/moto_internals.py"


def test_the_list_holds_each_internal_once():
    paths = [internal.path for internal in moto_internals.internals()]
    assert sorted(path for path in set(paths) if paths.count(path) > 1) == []


def test_an_unlisted_touch_and_an_unused_entry_are_both_found():
    source = """
from moto.s3.models import FakeBucket, s3_backends

def use(bucket: FakeBucket, account: str) -> None:
    s3_backends[account]["aws"].put_bucket_tagging(bucket.name, {})
"""
    touched = {path: {"example"} for path in touched_by(source)}
    listed = [Internal("moto.s3.models.FakeBucket.name"), Internal("moto.s3.models.FakeKey.size")]
    assert unlisted(touched, listed) == [
        "moto.s3.models.S3Backend.put_bucket_tagging (used by example)",
        "moto.s3.models.s3_backends (used by example)",
    ]
    assert unused(touched, listed) == ["moto.s3.models.FakeKey.size"]


def test_touches_follow_annotations_backends_calls_constructors_and_overrides():
    source = """
from moto.awslambda.utils import get_backend
from moto.cloudformation.models import ChangeSet, Event
from moto.moto_server.werkzeug_app import MotoRequestHandler

def use(change_set: ChangeSet, account: str) -> None:
    change_set.stack.resource_map._template
    function = get_backend(account, "us-east-1").get_function("f")
    function.timeout
    Event("s", "n", "l", "p", "t", "s", None, None)

class Handler(MotoRequestHandler):
    def make_environ(self):
        return {}
"""
    assert {
        "moto.cloudformation.models.ChangeSet.stack",
        "moto.cloudformation.models.Stack.resource_map",
        "moto.cloudformation.parsing.ResourceMap._template",
        "moto.awslambda.models.LambdaBackend.get_function",
        "moto.awslambda.models.LambdaFunction.timeout",
        "moto.cloudformation.models.Event.__init__",
        "moto.moto_server.werkzeug_app.MotoRequestHandler.make_environ",
    } <= touched_by(source)


def test_a_moved_internal_is_named_with_the_modules_that_touch_it(monkeypatch):
    moved = [
        Internal("moto.s3.notifications._gone"),
        Internal("nomoto.module.thing"),
        Internal("moto.s3.models.FakeBucket.get_permission", ("self", "renamed")),
    ]
    monkeypatch.setattr(moto_internals, "internals", lambda: moved)
    with pytest.raises(RuntimeError) as raised:
        moto_internals.check()
    message = str(raised.value)
    assert "written for moto 5.2.5" in message
    assert "moto.s3.notifications._gone (used by no module): moto.s3.notifications has no attribute _gone" in (message)
    assert "nomoto.module.thing (used by no module): no module of nomoto.module.thing can be imported" in (message)
    assert (
        "moto.s3.models.FakeBucket.get_permission (used by localcloud.s3.bucket_policy): "
        "parameters ('self', 'action')" in message
    )
