"""Contract of localcloud/iam/identity_policies.py: plain moto lets a role's credentials do anything
and checks DynamoDB against no table."""

from __future__ import annotations

import pytest

from tests.localcloud.plain_moto import assumed_role_clients


def test_plain_moto_lets_a_roles_credentials_do_anything(plain_moto):
    plain_moto("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    nothing_allowed = assumed_role_clients(
        plain_moto, [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]
    )
    nothing_allowed("dynamodb").put_item(TableName="t", Item={"k": {"S": "1"}})  # AWS: AccessDeniedException


def test_plain_moto_checks_dynamodb_against_no_table_and_denies_in_xml(plain_moto):
    from moto.core.authorization import enable_iam_authentication

    plain_moto("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/t"
    role = assumed_role_clients(plain_moto, [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": table}])
    with enable_iam_authentication():
        with pytest.raises(plain_moto("dynamodb").exceptions.ClientError) as raised:
            role("dynamodb").put_item(TableName="t", Item={"k": {"S": "1"}})
    assert raised.value.response["Error"]["Code"] != "AccessDeniedException"  # AWS allows this request
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403  # AWS denies with 400
