"""IAM identity policies as AWS enforces them on a function's role credentials (moto checks none
unless told to check every request, and then refuses the local cloud's own test keys): requests
signed with assumed-role keys are authorised against the role's inline and managed policies, with
real resource ARNs, and denied in the service's own shape; every other key keeps full access
(bucket policies' explicit denies still apply to it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

import xmltodict
from moto.core.exceptions import AccessDeniedError, JsonRESTError
from moto.core.responses import BaseResponse
from moto.iam.access_control import IAMRequestBase, S3IAMRequest
from moto.s3.exceptions import BucketAccessDeniedError, S3AccessDeniedError
from moto.utilities.utils import get_partition

from localcloud import request_context
from localcloud.cloud import LocalCloud
from localcloud.iam import callers
from localcloud.iam.policy import Decision, Principal, Request, evaluate
from localcloud.s3 import bucket_policy

# The IAM action AWS checks for each transactional item (DynamoDB developer guide, "Using IAM with
# DynamoDB transactions").
TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
# moto's names for S3 requests whose IAM action AWS names differently.
S3_ACTIONS = {
    "HeadBucket": "ListBucket",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
}


def dynamodb_requests(handler: BaseResponse, action: str) -> list[tuple[str, str]]:
    """(action, resource ARN) pairs DynamoDB authorises for one request: the table (or index) from
    TableName; one per table for Batch*; one per item, with its own action, for Transact*."""
    body = handler.body if isinstance(handler.body, dict) else {}
    prefix = f"arn:{get_partition(handler.region)}:dynamodb:{handler.region}:{handler.current_account}:table/"

    def table(name: str) -> str:
        return name if name.startswith("arn:") else prefix + name

    if action in ("BatchGetItem", "BatchWriteItem"):
        pairs = [(action, table(name)) for name in body.get("RequestItems", {})]
    elif action in ("TransactWriteItems", "TransactGetItems"):
        pairs = [
            (TRANSACT_ACTIONS[kind], table(detail["TableName"]))
            for item in body.get("TransactItems", [])
            for kind, detail in item.items()
            if kind in TRANSACT_ACTIONS
        ]
    elif "TableName" in body:
        index = f"/index/{body['IndexName']}" if body.get("IndexName") else ""
        pairs = [(action, table(body["TableName"]) + index)]
    else:
        pairs = [(action, "*")]
    return [(f"dynamodb:{a}", resource) for a, resource in dict.fromkeys(pairs)]


def deletes_objects(handler: BaseResponse, resource: str) -> bool:
    """DeleteObjects (POST /bucket?delete), which moto checks as DeleteObject on the bucket."""
    return handler._get_action() == "DeleteObject" and "/" not in resource


def s3_requests(handler: BaseResponse, resource: str) -> list[tuple[str, str]]:
    """(action, resource ARN) pairs S3 authorises: DeleteObjects per object, CopyObject also reads
    its source, and moto's action names mapped to IAM's."""
    action = handler._get_action()
    bucket_arn = resource.split("/", 1)[0]
    if deletes_objects(handler, resource):
        objects = xmltodict.parse(handler.body).get("Delete", {}).get("Object", [])
        objects = objects if isinstance(objects, list) else [objects]
        return list(
            dict.fromkeys(
                ("s3:DeleteObjectVersion" if o.get("VersionId") else "s3:DeleteObject", f"{bucket_arn}/{o['Key']}")
                for o in objects
            )
        )
    pairs = [(f"s3:{S3_ACTIONS.get(action, action)}", resource)]
    source = handler.headers.get("x-amz-copy-source")
    if action == "PutObject" and source:
        path, _, query = unquote(source).lstrip("/").partition("?")
        read = "s3:GetObjectVersion" if query.startswith("versionId=") else "s3:GetObject"
        pairs.append((read, f"arn:{bucket_arn.split(':')[1]}:s3:::{path}"))
    return pairs


def denial_message(principal: Principal, action: str, resource: str, decision: Decision) -> str:
    """AWS's wording, e.g. "User: arn:aws:sts::...:assumed-role/R/f is not authorized to perform:
    dynamodb:PutItem on resource: arn:... because no identity-based policy allows the
    dynamodb:PutItem action"."""
    why = (
        "with an explicit deny in an identity-based policy"
        if decision is Decision.EXPLICIT_DENY
        else f"because no identity-based policy allows the {action} action"
    )
    return f"User: {principal.arn} is not authorized to perform: {action} on resource: {resource} {why}"


def deny(
    handler: BaseResponse, is_s3: bool, principal: Principal, action: str, resource: str, decision: Decision
) -> None:
    """Raise the service's own AccessDenied: S3's XML AccessDenied, a JSON service's
    AccessDeniedException (HTTP 400, as DynamoDB answers), a query service's AccessDenied."""
    if is_s3:
        if "BucketName" in handler.data:
            raise BucketAccessDeniedError(bucket=handler.data["BucketName"])
        raise S3AccessDeniedError()
    message = denial_message(principal, action, resource, decision)
    if handler.headers.get("X-Amz-Target"):
        raise JsonRESTError("AccessDeniedException", message)
    raise AccessDeniedError(user_arn=principal.arn, action=f"{action} on resource: {resource}")


def authorize(
    cloud: LocalCloud, original: Any, self: BaseResponse, iam_request_cls: type[IAMRequestBase], resource: str = "*"
) -> None:
    """ActionAuthenticatorMixin._authenticate_and_authorize_action: moto's check of every request."""
    is_s3 = issubclass(iam_request_cls, S3IAMRequest)
    role = callers.assumed_role(self.current_account, get_partition(self.region), request_context.signing_key())
    if role is None:
        if is_s3 and not deletes_objects(self, resource):  # moto checks each deleted object's bucket policy
            bucket_policy.refuse_explicit_denials(self, s3_requests(self, resource))
        return
    if "Authorization" in self.headers:  # a presigned URL's signature is not verified locally (README)
        query = urlparse(self.uri).query
        iam_request_cls(
            account_id=self.current_account,
            method=self.method,
            path=self.raw_path + (f"?{query}" if query else ""),
            data=self.data,
            body=self.raw_body,
            headers=self.headers,
            action=self._get_action(),
        ).check_signature()
    caller = callers.role_principal(role)
    if is_s3:
        requests = s3_requests(self, resource)
    elif self.service_name == "dynamodb":
        requests = dynamodb_requests(self, self._get_action())
    else:
        requests = [(f"{request_context.signing_service()}:{self._get_action()}", resource)]
    if requests == [("sts:GetCallerIdentity", resource)]:  # AWS answers it whatever the policies say
        return
    documents = callers.role_policies(role.account_id, role.role_arn)
    context = request_context.transport().condition_keys()
    for action, arn in requests:
        decision = evaluate(documents, Request(action, arn, caller, context))
        if is_s3:
            decision = bucket_policy.combined(decision, action, arn, caller)
        if decision is Decision.ALLOW:
            continue
        if is_s3 and deletes_objects(self, resource):  # S3 reports each object it refuses to delete
            request_context.deny(arn)
        else:
            deny(self, is_s3, caller, action, arn, decision)
