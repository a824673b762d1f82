"""The local cloud's AWS-managed IAM policies (made when first needed, localcloud/iam/managed_policies.py)
are those plain moto makes all at once: listed in the same order, got with the same documents,
attached by a stack's role, and a policy that does not exist is refused with moto's words."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from localcloud.iam.managed_policies import DATA, AwsPolicies, AwsPolicyList, ManagedPolicies
from tests.localcloud.stacks import deploy, events

BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
TRUST = {"Version": "2012-10-17", "Statement": []}


def listed(iam, **scope) -> list[tuple[str, str, str]]:
    pages = iam.get_paginator("list_policies").paginate(**scope)
    return [(p["PolicyName"], p["Arn"], p["DefaultVersionId"]) for page in pages for p in page["Policies"]]


def document(iam, arn: str) -> dict:
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]


@pytest.fixture
def plain_iam(plain_moto, monkeypatch):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    return plain_moto("iam")


def test_the_aws_managed_policies_are_listed_as_plain_moto_lists_them(aws, plain_iam):
    expected = listed(plain_iam, Scope="AWS")
    assert len(expected) == len(json.loads(DATA))
    assert listed(aws("iam"), Scope="AWS") == expected


def test_an_aws_managed_policy_is_got_with_plain_motos_document(aws, plain_iam):
    arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    assert document(aws("iam"), arn) == document(plain_iam, arn)
    assert document(aws("iam"), BASIC_EXECUTION)["Statement"][0]["Action"] == [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ]


def test_an_accounts_own_policy_named_as_an_aws_one_is_its_own(aws):
    iam, name = aws("iam"), f"AdministratorAccess-{uuid.uuid4().hex[:6]}"
    own = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    arn = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(own))["Policy"]["Arn"]
    assert document(iam, arn) == own
    assert (name, arn, "v1") in listed(iam, Scope="Local")
    assert not any(listed_arn == arn for _, listed_arn, _ in listed(iam, Scope="AWS"))
    with pytest.raises(ClientError, match="NoSuchEntity"):
        iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/NoSuchManagedPolicy")


def test_a_stacks_role_with_a_policy_that_does_not_exist_fails_with_motos_words(aws):
    missing = "arn:aws:iam::aws:policy/NoSuchManagedPolicy"
    template = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": TRUST, "ManagedPolicyArns": [missing]},
            }
        }
    }
    stack = deploy(aws, f"missing-policy-{uuid.uuid4().hex[:8]}", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    reasons = [reason for logical_id, status, reason in events(aws, stack["StackId"]) if status == "CREATE_FAILED"]
    assert any(f"Policy {missing} does not exist or is not attachable." in (reason or "") for reason in reasons)


class Backend:
    account_id, region_name = "123456789012", "us-east-1"


def test_each_policy_read_alone_is_the_one_read_with_all_the_data():
    every = json.loads(DATA)
    alone = AwsPolicies(Backend())
    for name, data in every.items():
        policy = alone.with_arn(f"arn:aws:iam::aws:policy{data['Path']}{name}")
        assert policy is not None and policy.name == name
        assert policy.default_version_id == data["DefaultVersionId"]
        assert json.loads(policy.versions[0].document) == data["Document"]


def test_a_policy_looked_up_first_is_the_same_object_once_all_are_listed():
    policies = AwsPolicies(Backend())
    by_arn, every = ManagedPolicies(policies), AwsPolicyList(policies)
    own = object()
    by_arn["arn:aws:iam::123456789012:policy/own"] = own
    first = by_arn[BASIC_EXECUTION]
    assert BASIC_EXECUTION in by_arn and by_arn.get("arn:aws:iam::aws:policy/NoSuchManagedPolicy") is None
    assert first in every and len(every) == len(json.loads(DATA))
    assert list(by_arn)[-1] == "arn:aws:iam::123456789012:policy/own"
    assert policies.with_arn(BASIC_EXECUTION) is first
    assert by_arn[BASIC_EXECUTION] is first and list(by_arn.values())[:-1] == list(every)
    with pytest.raises(KeyError):
        by_arn["arn:aws:iam::aws:policy/NoSuchManagedPolicy"]


def attach_and_detach(iam) -> list:
    """What AttachRolePolicy, ListAttachedRolePolicies and DetachRolePolicy answer, refusals included."""
    role = f"r-{uuid.uuid4().hex[:8]}"
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    answers = []
    for call, arn in [
        (iam.attach_role_policy, BASIC_EXECUTION),
        (iam.attach_role_policy, "arn:aws:iam::aws:policy/NoSuchManagedPolicy"),
        (iam.detach_role_policy, BASIC_EXECUTION),
        (iam.detach_role_policy, BASIC_EXECUTION),
    ]:
        try:
            call(RoleName=role, PolicyArn=arn)
            attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
            answers.append([policy["PolicyArn"] for policy in attached])
        except ClientError as error:
            answers.append((error.response["Error"]["Code"], error.response["Error"]["Message"]))
    return answers


def test_a_role_attaches_and_detaches_policies_with_plain_motos_answers(aws, plain_iam):
    expected = attach_and_detach(plain_iam)
    assert expected[1] == (
        "NoSuchEntity",
        "Policy arn:aws:iam::aws:policy/NoSuchManagedPolicy does not exist or is not attachable.",
    )
    assert attach_and_detach(aws("iam")) == expected
