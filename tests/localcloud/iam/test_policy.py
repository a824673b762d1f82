"""The local cloud's IAM policy evaluation follows the IAM user guide's rules: explicit deny beats
allow, wildcards, Not* elements, principals of resource policies, and conditions (a key missing
from the request: false, true for negated operators, ...IfExists and Null)."""

from __future__ import annotations

import pytest

from localcloud.iam.policy import Decision, Principal, Request, evaluate

ROLE = Principal(
    "arn:aws:sts::111122223333:assumed-role/fn-role/fn", "111122223333", ("arn:aws:iam::111122223333:role/fn-role",)
)
OTHER = Principal("arn:aws:iam::444455556666:root", "444455556666")
TLS = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
PLAIN = {"aws:SecureTransport": "false"}


def decide(statements: list[dict], action="s3:GetObject", resource="arn:aws:s3:::b/k", principal=ROLE, context=TLS):
    return evaluate([{"Statement": statements}], Request(action, resource, principal, context))


def statement(effect="Allow", **fields) -> dict:
    return {"Effect": effect, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", **fields}


def test_nothing_that_allows_is_an_implicit_deny_and_a_deny_beats_an_allow():
    assert decide([]) is Decision.IMPLICIT_DENY
    assert decide([statement()]) is Decision.ALLOW
    assert decide([statement(), statement("Deny")]) is Decision.EXPLICIT_DENY
    assert evaluate([{"Statement": statement()}], Request("s3:GetObject", "arn:aws:s3:::b/k", ROLE, TLS)) is (
        Decision.ALLOW
    )


@pytest.mark.parametrize(
    ("action", "resource", "expected"),
    [
        ("s3:GetObject", "arn:aws:s3:::b/k", Decision.ALLOW),
        ("S3:getobject", "arn:aws:s3:::b/k", Decision.ALLOW),  # actions ignore case
        ("s3:GetObjectVersion", "arn:aws:s3:::b/k", Decision.IMPLICIT_DENY),
        ("s3:GetObject", "arn:aws:s3:::bx/k", Decision.IMPLICIT_DENY),  # "." is no regex wildcard here
        ("s3:GetObject", "arn:aws:s3:::B/k", Decision.IMPLICIT_DENY),  # resources keep case
    ],
)
def test_actions_and_resources_match_with_iam_wildcards_only(action, resource, expected):
    assert decide([statement(Action="s3:Get?bject", Resource="arn:aws:s3:::b/*")], action, resource) is expected
    assert decide([statement(Resource="arn:aws:s3:::b.*")], "s3:GetObject", "arn:aws:s3:::bx/k") is (
        Decision.IMPLICIT_DENY
    )


def test_not_action_and_not_resource_match_everything_else():
    everything_but_delete = {"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "*"}
    assert decide([everything_but_delete]) is Decision.ALLOW
    assert decide([everything_but_delete], action="s3:DeleteObject") is Decision.IMPLICIT_DENY
    outside_b = {"Effect": "Deny", "Action": "*", "NotResource": ["arn:aws:s3:::b/*"]}
    assert decide([statement(), outside_b]) is Decision.ALLOW
    assert decide([statement(Resource="*"), outside_b], resource="arn:aws:s3:::c/k") is Decision.EXPLICIT_DENY


def bucket_policy(statements: list[dict], principal: Principal, context=TLS) -> Decision:
    request = Request("s3:GetObject", "arn:aws:s3:::b/k", principal, context)
    return evaluate([{"Statement": statements}], request, resource_policy=True)


@pytest.mark.parametrize(
    ("named", "principal", "expected"),
    [
        ("*", ROLE, Decision.ALLOW),
        ({"AWS": "*"}, Principal(None, None), Decision.ALLOW),
        ({"AWS": ["arn:aws:iam::111122223333:role/fn-role"]}, ROLE, Decision.ALLOW),
        ({"AWS": ROLE.arn}, ROLE, Decision.ALLOW),
        ({"AWS": "arn:aws:iam::111122223333:role/fn-role"}, OTHER, Decision.IMPLICIT_DENY),
        ({"AWS": "111122223333"}, ROLE, Decision.IMPLICIT_DENY),  # an account delegates to its IAM policies
        ({"Service": "logging.s3.amazonaws.com"}, ROLE, Decision.IMPLICIT_DENY),
    ],
)
def test_a_resource_policys_principal_names_who_it_allows(named, principal, expected):
    assert bucket_policy([statement(Principal=named)], principal) is expected


@pytest.mark.parametrize("named", [{"AWS": "111122223333"}, {"AWS": "arn:aws:iam::111122223333:root"}])
def test_an_account_principal_is_denied_with_everyone_in_it(named):
    assert bucket_policy([statement("Deny", Principal=named)], ROLE) is Decision.EXPLICIT_DENY
    assert bucket_policy([statement("Deny", Principal=named)], OTHER) is Decision.IMPLICIT_DENY


def test_not_principal_denies_everyone_else():
    deny_others = statement("Deny", NotPrincipal={"AWS": ROLE.aliases[0]})
    assert bucket_policy([statement(Principal="*"), deny_others], ROLE) is Decision.ALLOW
    assert bucket_policy([statement(Principal="*"), deny_others], OTHER) is Decision.EXPLICIT_DENY


TLS_ONLY = statement("Deny", Principal="*", Condition={"Bool": {"aws:SecureTransport": "false"}})
TLS_12 = statement("Deny", Principal="*", Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}})


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (TLS, Decision.ALLOW),
        ({"aws:SecureTransport": "true", "s3:TlsVersion": "1.2"}, Decision.ALLOW),
        (PLAIN, Decision.EXPLICIT_DENY),
        ({"aws:SecureTransport": "true", "s3:TlsVersion": "1.1"}, Decision.EXPLICIT_DENY),
        ({"aws:SecureTransport": "true", "s3:TlsVersion": "not a number"}, Decision.ALLOW),
    ],
)
def test_the_stacks_transport_statements(context, expected):
    assert bucket_policy([statement(Principal="*"), TLS_ONLY, TLS_12], ROLE, context) is expected


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
        ({"StringNotEquals": {"aws:SourceAccount": "111122223333"}}, True),
        ({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, False),
        ({"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, True),
        ({"Null": {"aws:SourceArn": "true"}}, True),
        ({"Null": {"aws:SourceArn": "false"}}, False),
    ],
)
def test_a_key_missing_from_the_request_follows_the_user_guide(condition, holds):
    expected = Decision.ALLOW if holds else Decision.IMPLICIT_DENY
    assert decide([statement(Condition=condition)]) is expected


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:SourceAccount": ["1", "111122223333"]}}, True),
        ({"StringNotEquals": {"aws:SourceAccount": ["1", "111122223333"]}}, False),
        ({"StringEqualsIgnoreCase": {"aws:SourceAccount": "111122223333"}}, True),
        ({"StringNotEqualsIgnoreCase": {"aws:SourceAccount": "2"}}, True),
        ({"StringLike": {"aws:SourceArn": "arn:aws:s3:::up*"}}, True),
        ({"StringNotLike": {"aws:SourceArn": "arn:aws:s3:::up*"}}, False),
        ({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::uploads"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::up?oads"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3"}}, False),
        ({"ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::other"}}, True),
        ({"NumericEquals": {"s3:TlsVersion": "1.3"}}, True),
        ({"NumericNotEquals": {"s3:TlsVersion": "1.3"}}, False),
        ({"NumericLessThanEquals": {"s3:TlsVersion": "1.3"}}, True),
        ({"NumericGreaterThan": {"s3:TlsVersion": "1.2"}}, True),
        ({"NumericGreaterThanEquals": {"s3:TlsVersion": "1.4"}}, False),
        ({"Bool": {"aws:SecureTransport": "True"}}, True),
        ({"Bool": {"aws:SecureTransport": True}}, True),
        ({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceAccount": "2"}}, False),
    ],
)
def test_operators_on_keys_the_request_has(condition, holds):
    context = {**TLS, "aws:SourceAccount": "111122223333", "aws:SourceArn": "arn:aws:s3:::uploads"}
    expected = Decision.ALLOW if holds else Decision.IMPLICIT_DENY
    assert decide([statement(Condition=condition)], context=context) is expected


@pytest.mark.parametrize(
    "condition",
    [
        {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},  # a key the local cloud does not fill in
        {"DateLessThan": {"aws:SecureTransport": "2030-01-01"}},  # an operator it does not implement
        {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalTag/team": "a"}},
    ],
)
def test_a_condition_the_local_cloud_cannot_decide_denies_and_never_allows(condition):
    assert decide([statement(Condition=condition)]) is Decision.IMPLICIT_DENY
    assert decide([statement(), statement("Deny", Condition=condition)]) is Decision.EXPLICIT_DENY
