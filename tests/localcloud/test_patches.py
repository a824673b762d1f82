"""localcloud/patches.py: every patch is installed bound to its LocalCloud with moto's original,
a target patched twice is refused, and uninstall puts every original back."""

from __future__ import annotations

import pytest
from moto.cloudformation.models import ChangeSet
from moto.iam.models import Role
from moto.s3 import notifications

from localcloud import patches
from localcloud.cloud import LocalCloud, Options
from localcloud.patches import Patch, Route


@pytest.fixture
def cloud():
    cloud = LocalCloud("http://127.0.0.1:1", Options())
    yield cloud
    patches.uninstall()


def calls(cloud, original, *args, **kwargs):
    return cloud, original, args


def test_every_patch_reproduces_a_named_behaviour_and_each_target_is_patched_once():
    targets = [patch.target for patch in patches.PATCHES]
    assert sorted(target for target in set(targets) if targets.count(target) > 1) == []
    assert all(patch.reproduces for patch in patches.PATCHES)


def test_a_replacement_gets_the_cloud_the_original_and_what_moto_passes(cloud):
    original_send = notifications.send_event
    original_diff = ChangeSet.diff
    patches.install(
        cloud,
        [
            Patch("moto.s3.notifications.send_event", calls, "sends"),
            Patch("moto.cloudformation.models.ChangeSet.diff", calls, "diffs"),
        ],
    )
    assert notifications.send_event("a", "b") == (cloud, original_send, ("a", "b"))
    change_set = object.__new__(ChangeSet)
    assert change_set.diff() == (cloud, original_diff, (change_set,))


def test_a_classmethod_stays_one_and_its_original_gets_the_class(cloud):
    original = Role.__dict__["create_from_cloudformation_json"]
    patches.install(cloud, [Patch("moto.iam.models.Role.create_from_cloudformation_json", calls, "creates")])
    assert isinstance(Role.__dict__["create_from_cloudformation_json"], classmethod)
    _, passed_original, args = Role.create_from_cloudformation_json("name", {})
    assert passed_original is original.__func__ and args == (Role, "name", {})


def test_a_target_patched_twice_is_refused_before_anything_is_patched(cloud):
    original = notifications.send_event
    twice = [
        Patch("moto.s3.notifications.send_event", calls, "one"),
        Patch("moto.s3.notifications.send_event", calls, "two"),
    ]
    with pytest.raises(ValueError, match="patched twice .*moto.s3.notifications.send_event"):
        patches.install(cloud, twice)
    assert notifications.send_event is original


def test_a_second_install_of_an_installed_target_is_refused(cloud):
    patches.install(cloud, [Patch("moto.s3.notifications.send_event", calls, "one")])
    with pytest.raises(ValueError, match="patched twice"):
        patches.install(cloud, [Patch("moto.s3.notifications.send_event", calls, "again")])


def test_uninstall_puts_every_original_back(cloud):
    originals = (notifications.send_event, Role.__dict__["create_from_cloudformation_json"], ChangeSet.__dict__["diff"])
    patches.install(
        cloud,
        [
            Patch("moto.s3.notifications.send_event", calls, "sends"),
            Patch("moto.iam.models.Role.create_from_cloudformation_json", calls, "creates"),
            Patch("moto.cloudformation.models.ChangeSet.diff", calls, "diffs"),
        ],
    )
    patches.uninstall()
    assert (notifications.send_event, Role.__dict__["create_from_cloudformation_json"], ChangeSet.__dict__["diff"]) == (
        originals
    )
    assert patches.ORIGINALS == {}


def test_an_added_action_is_served_then_removed_and_one_moto_has_is_refused(cloud):
    target = "moto.cloudformation.models.ChangeSet.an_action_moto_lacks"
    patches.install(cloud, [Patch(target, calls, "adds", adds=True)])
    change_set = object.__new__(ChangeSet)
    assert change_set.an_action_moto_lacks() == (cloud, None, (change_set,))
    patches.uninstall()
    assert not hasattr(ChangeSet, "an_action_moto_lacks")
    with pytest.raises(ValueError, match="moto now has .*ChangeSet.diff"):
        patches.install(cloud, [Patch("moto.cloudformation.models.ChangeSet.diff", calls, "adds", adds=True)])


def test_a_patch_of_what_a_class_inherits_is_removed_by_uninstall(cloud):
    from moto.awslambda.responses import LambdaResponse

    patches.install(cloud, [Patch("moto.awslambda.responses.LambdaResponse._enrich_response", calls, "enriches")])
    assert "_enrich_response" in LambdaResponse.__dict__
    patches.uninstall()
    assert "_enrich_response" not in LambdaResponse.__dict__


def test_a_route_is_added_to_the_services_urls_and_removed_by_uninstall(cloud):
    from moto.awslambda import urls
    from moto.awslambda.responses import LambdaResponse

    route = Route("moto.awslambda.urls", "{0}/x/?$", "moto.awslambda.responses.LambdaResponse.dispatch", "routes")
    patches.install(cloud, [], [route])
    assert urls.url_paths["{0}/x/?$"] == LambdaResponse.dispatch
    with pytest.raises(ValueError, match="patched twice"):
        patches.install(cloud, [], [route])
    patches.uninstall()
    assert "{0}/x/?$" not in urls.url_paths
