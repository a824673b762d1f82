"""Who signed a request to the local cloud, as IAM policies name them: an assumed role's session
(the function's credentials), the account itself (any other key) or nobody (unsigned)."""

from __future__ import annotations

import json

from moto.iam.exceptions import NotFoundException
from moto.iam.models import iam_backends
from moto.sts.models import AssumedRole, sts_backends

from localcloud.iam.policy import Decision, Principal, Request, evaluate

ANONYMOUS = Principal(None, None)


def assumed_role(account_id: str, partition: str, key: str | None) -> AssumedRole | None:
    """moto's AssumedRole whose access key this is, or None."""
    if key is None:
        return None
    return sts_backends[account_id][partition].get_assumed_role_from_access_key(key)


def role_principal(role: AssumedRole) -> Principal:
    """An assumed-role session: arn:...:sts::<account>:assumed-role/<role>/<session>, which a
    policy may also name by the role's ARN."""
    partition = role.role_arn.split(":")[1]
    role_arn = f"arn:{partition}:iam::{role.account_id}:role/{role.role_arn.split('/')[-1]}"
    return Principal(role.arn, role.account_id, (role_arn,))


def principal(account_id: str, partition: str, key: str | None) -> Principal:
    """The caller behind an access key: ANONYMOUS without one, the account for keys that are not
    an assumed role's (the deploy tool's)."""
    if key is None:
        return ANONYMOUS
    role = assumed_role(account_id, partition, key)
    if role is not None:
        return role_principal(role)
    return Principal(f"arn:{partition}:iam::{account_id}:root", account_id)


def role_policies(account_id: str, role_arn: str) -> list[dict]:
    """The inline and attached managed policy documents of a role (of an assumed-role session, or
    a function's execution role)."""
    partition = role_arn.split(":")[1]
    try:
        iam_role = iam_backends[account_id][partition].get_role_by_arn(role_arn)
    except NotFoundException:  # a deleted role's sessions hold no permission: AWS denies them
        return []
    documents = [json.loads(document) for document in iam_role.policies.values()]
    for policy in iam_role.managed_policies.values():
        version = next(v for v in policy.versions if v.is_default)
        documents.append(json.loads(version.document))
    return documents


def role_allows(account_id: str, role_arn: str, action: str, resource: str) -> bool:
    """Whether a role's own policies allow an action that AWS takes on its behalf (Lambda sending a
    dead letter or creating a function's log group with the execution role)."""
    request = Request(action, resource, Principal(role_arn, account_id), {})
    return evaluate(role_policies(account_id, role_arn), request) is Decision.ALLOW
