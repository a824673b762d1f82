"""Gap: moto's AWS::IAM::Role ignores ManagedPolicyArns, stores each inline policy of Policies as a
Python dict (get_role_policy then answers a repr, and any check of the role fails), and ignores
both on update. CloudFormation attaches the managed policies, puts the inline ones as JSON
documents (validated as IAM validates them), keeps both in step on update, and detaches them
before it deletes the role. Do the same."""

from __future__ import annotations

import json
from typing import Any

from moto.iam.models import Role, iam_backends
from moto.utilities.utils import get_partition

ORIGINAL: dict[str, Any] = {}


def apply_policies(role: Role, properties: dict, account_id: str, region_name: str) -> None:
    """Make the role's inline and managed policies those the properties name."""
    backend = iam_backends[account_id][get_partition(region_name)]
    inline = {p["PolicyName"]: p["PolicyDocument"] for p in properties.get("Policies", [])}
    for name in set(role.policies) - set(inline):
        backend.delete_role_policy(role.name, name)
    for name, document in inline.items():
        backend.put_role_policy(role.name, name, document if isinstance(document, str) else json.dumps(document))
    managed = set(properties.get("ManagedPolicyArns", []))
    for arn in set(role.managed_policies) - managed:
        backend.detach_role_policy(arn, role.name)
    for arn in sorted(managed - set(role.managed_policies)):
        backend.attach_role_policy(arn, role.name)


def create_role(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs):
    properties = cloudformation_json["Properties"]
    without_policies = {**cloudformation_json, "Properties": {**properties, "Policies": []}}
    role = ORIGINAL["create"].__func__(cls, resource_name, without_policies, account_id, region_name, **kwargs)
    apply_policies(role, properties, account_id, region_name)
    return role


def update_role(
    cls, original_resource: Role, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str
):
    role = ORIGINAL["update"].__func__(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    )
    apply_policies(role, cloudformation_json["Properties"], account_id, region_name)
    return role


def delete_role(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str) -> None:
    backend = iam_backends[account_id][get_partition(region_name)]
    for role in list(backend.roles.values()):
        if role.name == resource_name:
            for arn in list(role.managed_policies):
                backend.detach_role_policy(arn, role.name)
    ORIGINAL["delete"].__func__(cls, resource_name, cloudformation_json, account_id, region_name)


def install() -> None:
    if ORIGINAL:
        return
    ORIGINAL.update(
        create=Role.create_from_cloudformation_json,
        update=Role.update_from_cloudformation_json,
        delete=Role.delete_from_cloudformation_json,
    )
    Role.create_from_cloudformation_json = classmethod(create_role)
    Role.update_from_cloudformation_json = classmethod(update_role)
    Role.delete_from_cloudformation_json = classmethod(delete_role)
