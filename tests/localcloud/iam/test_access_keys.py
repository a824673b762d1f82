"""localcloud/iam/access_keys.py: a request signed with an IAM user's access key acts in that
user's account, as on AWS; a key no user owns acts in the default account."""

from __future__ import annotations

import uuid

import boto3

from tests.localcloud.conftest import REGION

OTHER_ACCOUNT = "111122223333"


def in_account(client, account_id: str):
    """The client, its requests made in account_id (moto's x-moto-account-id header)."""
    client.meta.events.register(
        "before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account_id)
    )
    return client


def signed_with(aws, key: dict):
    endpoint = aws("sts").meta.endpoint_url
    session = boto3.session.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name=REGION
    )
    return session.client("sts", endpoint_url=endpoint)


def test_a_users_access_key_acts_in_the_users_account(aws):
    iam = in_account(aws("iam"), OTHER_ACCOUNT)
    name = f"user-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    identity = signed_with(aws, key).get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == (OTHER_ACCOUNT, f"arn:aws:iam::{OTHER_ACCOUNT}:user/{name}")


def test_a_key_no_user_owns_acts_in_the_default_account(aws):
    identity = signed_with(aws, {"AccessKeyId": "AKIANOBODYOWNSTHIS1", "SecretAccessKey": "x"}).get_caller_identity()
    assert identity["Account"] == "123456789012"
