"""AWS::DynamoDB::Table's PointInTimeRecoverySpecification, which moto's CloudFormation ignores:
applied after moto creates the table, as CloudFormation configures it."""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from localcloud.cloud import LocalCloud


def create_table(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Table:
    table = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    recovery = cloudformation_json["Properties"].get("PointInTimeRecoverySpecification")
    if recovery:
        dynamodb_backends[account_id][region_name].update_continuous_backups(table.name, recovery)
    return table
