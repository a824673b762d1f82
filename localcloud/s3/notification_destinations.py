"""S3 reads a notification configuration's filter rule names in any case (Prefix, SUFFIX), and
validates a notification's Lambda destinations when the configuration is put (by the API or
by CloudFormation): each function must exist and its resource policy must let s3.amazonaws.com
lambda:InvokeFunction with the bucket as SourceArn, else InvalidArgument "Unable to validate the
following destination configurations" (moto accepts any function). SkipDestinationValidation
skips it, as on S3."""

from __future__ import annotations

import re
import uuid
from typing import Any
from xml.sax.saxutils import escape

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.utils import get_backend
from moto.s3.exceptions import InvalidFilterRuleName
from moto.s3.models import FakeBucket, S3Backend
from moto.s3.responses import S3Response

from localcloud.cloud import LocalCloud
from localcloud.iam import policy
from localcloud.iam.policy import Decision, Principal, Request

S3_SERVICE = "s3.amazonaws.com"
SKIP_HEADER = "x-amz-skip-destination-validation"
FILTER_RULE = re.compile(rb"<FilterRule>(.*?)</FilterRule>", re.DOTALL)
RULE_NAME = re.compile(rb"<Name>(.*?)</Name>", re.DOTALL)
EMPTY_VALUE = re.compile(rb"<Value>\s*</Value>|<Value\s*/>")


class DestinationsNotValidated(Exception):
    """S3's InvalidArgument naming each destination it could not validate (ArgumentName1,
    ArgumentValue1, ...: elements moto's error serializer does not know, so answered here)."""

    MESSAGE = "Unable to validate the following destination configurations"

    def __init__(self, function_arns: list[str]):
        self.arguments = [(f"{arn}, null", f"Not authorized to invoke function [{arn}]") for arn in function_arns]
        super().__init__(f"{self.MESSAGE}: {'; '.join(value for _, value in self.arguments)}")

    def xml(self, request_id: str) -> str:
        elements = "".join(
            f"<ArgumentName{n}>{escape(name)}</ArgumentName{n}><ArgumentValue{n}>{escape(value)}</ArgumentValue{n}>"
            for n, (name, value) in enumerate(self.arguments, 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>'
            f"<Message>{self.MESSAGE}</Message>{elements}<RequestId>{escape(request_id)}</RequestId></Error>"
        )


def s3_may_invoke(bucket: FakeBucket, function_arn: str) -> bool:
    """Whether the function exists and lets S3 invoke it on this bucket's behalf."""
    _, _, _, region, account = function_arn.split(":")[:5]
    try:
        function = get_backend(account, region).get_function(function_arn)
    except UnknownFunctionException:
        return False
    document = {"Statement": function.policy.statements}
    s3 = Principal(None, None, service=S3_SERVICE)
    context = {"aws:SourceArn": bucket.arn, "aws:SourceAccount": bucket.account_id}
    request = Request("lambda:InvokeFunction", function.function_arn, s3, context)
    return policy.evaluate([document], request, resource_policy=True) is Decision.ALLOW


def put_notification_configuration(
    cloud: LocalCloud, original: Any, self: S3Backend, bucket_name: str, notification_config: dict
) -> None:
    """S3Backend.put_bucket_notification_configuration: refuse destinations S3 cannot invoke."""
    request = getattr(cloud.s3_request, "request", None)
    skipped = request is not None and request.headers.get(SKIP_HEADER, "").lower() == "true"
    if not skipped:
        bucket = self.get_bucket(bucket_name)
        destinations = [c["CloudFunction"] for c in (notification_config or {}).get("CloudFunctionConfiguration") or []]
        refused = [arn for arn in destinations if not s3_may_invoke(bucket, arn)]
        if refused:
            raise DestinationsNotValidated(refused)
    original(self, bucket_name, notification_config)


def answer_refusal(cloud: LocalCloud, original: Any, self: S3Response, request: Any, full_url: str) -> Any:
    """S3Response._bucket_response: a refused destination is answered 400 with S3's elements."""
    try:
        return original(self, request, full_url)
    except DestinationsNotValidated as refused:
        request_id = getattr(cloud.s3_request, "ids", {}).get("x-amz-request-id", "")
        return 400, {"Content-Type": "application/xml"}, refused.xml(request_id)


def normalised_rule(rule: re.Match, empty: bytes) -> bytes:
    """One FilterRule with its name in moto's lower case (S3 takes any case, refusing other
    names) and an empty value marked (moto refuses one; S3 takes it)."""
    body = rule.group(1)
    named = RULE_NAME.search(body)
    if named:
        name = named.group(1).decode().strip()
        if name.lower() not in ("prefix", "suffix"):
            raise InvalidFilterRuleName(name)
        body = body[: named.start()] + f"<Name>{name.lower()}</Name>".encode() + body[named.end() :]
    return b"<FilterRule>" + EMPTY_VALUE.sub(b"<Value>" + empty + b"</Value>", body) + b"</FilterRule>"


def read_filter_rules(cloud: LocalCloud, original: Any, self: S3Response) -> dict:
    """S3Response._notification_config_from_body: filter rule names in any case, empty values."""
    empty = f"localcloud-empty-{uuid.uuid4().hex}".encode()
    body = self.body if isinstance(self.body, bytes) else str(self.body or "").encode()
    self.body = FILTER_RULE.sub(lambda rule: normalised_rule(rule, empty), body)
    config = original(self)
    for destinations in config.values() if isinstance(config, dict) else []:
        for destination in destinations if isinstance(destinations, list) else []:
            for rule in ((destination.get("Filter") or {}).get("S3Key") or {}).get("FilterRule", []):
                if rule.get("Value") == empty.decode():
                    rule["Value"] = ""
    return config
