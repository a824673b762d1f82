"""AWS::DynamoDB::Table's PointInTimeRecoverySpecification, which moto's CloudFormation ignores:
applied after moto creates the table, as CloudFormation configures it."""

from __future__ import annotations

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table


def apply_table_properties(table: Table, properties: dict, account_id: str, region_name: str) -> None:
    recovery = properties.get("PointInTimeRecoverySpecification")
    if recovery:
        dynamodb_backends[account_id][region_name].update_continuous_backups(table.name, recovery)
