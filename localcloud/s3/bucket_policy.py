"""S3 bucket policies as S3 evaluates them: every statement against the request's context
(aws:SecureTransport, s3:TlsVersion, aws:SourceArn, aws:SourceAccount...) and the caller, for
bucket and object requests alike, answered with AccessDenied (moto evaluates no Condition, ignores
the Principal, checks object requests only and answers an empty 403); and the policy an
AWS::S3::BucketPolicy puts or removes."""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import BaseResponse
from moto.iam.access_control import PermissionResult
from moto.s3.exceptions import BucketAccessDeniedError
from moto.s3.models import FakeBucket, s3_backends
from moto.s3.responses import S3Response
from moto.utilities.utils import get_partition

from localcloud import request_context
from localcloud.cloud import LocalCloud
from localcloud.iam import callers
from localcloud.iam.policy import Decision, Principal, Request, evaluate

# moto checks object requests as s3:<Method>Object; IAM knows two of them by other names.
MOTO_OBJECT_ACTIONS = {"s3:HeadObject": "s3:GetObject", "s3:PostObject": "s3:PutObject"}
RESULTS = {
    Decision.EXPLICIT_DENY: PermissionResult.DENIED,
    Decision.ALLOW: PermissionResult.PERMITTED,
    Decision.IMPLICIT_DENY: PermissionResult.NEUTRAL,
}


def decision(bucket: FakeBucket, action: str, resource: str, caller: Principal) -> Decision:
    """The bucket policy's decision for one action on one resource by one caller."""
    if bucket.policy is None:
        return Decision.IMPLICIT_DENY
    context = request_context.transport().condition_keys()
    return evaluate([json.loads(bucket.policy)], Request(action, resource, caller, context), resource_policy=True)


def bucket_of(resource: str, account_id: str, partition: str) -> FakeBucket | None:
    """The bucket an S3 ARN (arn:aws:s3:::bucket or arn:aws:s3:::bucket/key) is in."""
    name = resource.split(":::", 1)[-1].split("/", 1)[0]
    return s3_backends[account_id][partition].buckets.get(name)


def combined(identity: Decision, action: str, resource: str, caller: Principal) -> Decision:
    """Identity and bucket policy together, for a caller in the bucket's account: an explicit deny
    in either denies; an allow in either allows."""
    bucket = bucket_of(resource, caller.account, resource.split(":")[1])
    by_bucket = Decision.IMPLICIT_DENY if bucket is None else decision(bucket, action, resource, caller)
    if Decision.EXPLICIT_DENY in (identity, by_bucket):
        return Decision.EXPLICIT_DENY
    return Decision.ALLOW if Decision.ALLOW in (identity, by_bucket) else Decision.IMPLICIT_DENY


def refuse_explicit_denials(handler: BaseResponse, requests: list[tuple[str, str]]) -> None:
    """For callers with full identity access (the deploy tool): a bucket policy's explicit deny
    still refuses the request, as on AWS."""
    partition = handler.partition
    caller = callers.principal(handler.current_account, partition, request_context.signing_key())
    for action, resource in requests:
        bucket = bucket_of(resource, handler.current_account, partition)
        if bucket is not None and decision(bucket, action, resource, caller) is Decision.EXPLICIT_DENY:
            raise BucketAccessDeniedError(bucket=bucket.name)


def get_permission(cloud: LocalCloud, original: Any, self: FakeBucket, action: str, resource: str) -> PermissionResult:
    """Replaces FakeBucket.get_permission (moto's check of object requests), with conditions and
    principal evaluated; an object the caller's role may not delete is denied too."""
    if request_context.denied(resource):
        return PermissionResult.DENIED
    caller = callers.principal(self.account_id, self.partition, request_context.signing_key())
    return RESULTS[decision(self, MOTO_OBJECT_ACTIONS.get(action, action), resource, caller)]


def key_response(cloud: LocalCloud, original: Any, self: S3Response, request: Any, full_url: str) -> Any:
    """moto answers a bucket policy's denial of an object request with an empty 403; S3 answers
    AccessDenied (a HEAD response has no body either way)."""
    response = original(self, request, full_url)
    if request.method != "HEAD" and isinstance(response, tuple) and response[0] == 403 and not response[2]:
        raise BucketAccessDeniedError(bucket=self.parse_bucket_name_from_url(request, full_url))
    return response


def put_policy(bucket: str, properties: dict, account_id: str, region_name: str) -> None:
    """AWS::S3::BucketPolicy (which moto lacks) puts its PolicyDocument on the bucket."""
    backend = s3_backends[account_id][get_partition(region_name)]
    backend.put_bucket_policy(bucket, json.dumps(properties["PolicyDocument"]).encode())


def remove_policy(bucket: str, account_id: str, region_name: str) -> None:
    backend = s3_backends[account_id][get_partition(region_name)]
    if bucket in backend.buckets:
        backend.delete_bucket_policy(bucket)
