"""AWS::IAM::Role's Policies and ManagedPolicyArns as CloudFormation applies them: inline policies
put as JSON documents (validated as IAM validates them), managed ones attached, both kept in step
on update and detached before the role is deleted (moto ignores ManagedPolicyArns, stores inline
policies as Python dicts and ignores both on update)."""

from __future__ import annotations

import json
from typing import Any

from moto.iam.models import Role, iam_backends
from moto.utilities.utils import get_partition

from localcloud.cloud import LocalCloud


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


def create_role(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
    **kwargs,
):
    properties = cloudformation_json["Properties"]
    without_policies = {**cloudformation_json, "Properties": {**properties, "Policies": []}}
    role = original(cls, resource_name, without_policies, account_id, region_name, **kwargs)
    apply_policies(role, properties, account_id, region_name)
    return role


def delete_role(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
) -> None:
    backend = iam_backends[account_id][get_partition(region_name)]
    for role in list(backend.roles.values()):
        if role.name == resource_name:
            for arn in list(role.managed_policies):
                backend.detach_role_policy(arn, role.name)
    original(cls, resource_name, cloudformation_json, account_id, region_name)
