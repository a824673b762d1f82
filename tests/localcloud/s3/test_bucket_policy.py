"""Bucket policies are evaluated as S3 evaluates them: conditions against the request's real
context (the transport it came over, the keys a caller's request carries), principals, bucket and
object requests alike. The local cloud serves HTTPS beside HTTP on one port with --tls."""

from __future__ import annotations

import json
import socket
import ssl
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError, SSLError

from localcloud import server as localcloud
from tests.localcloud.conftest import REGION


def deny_everything(sid: str, condition: dict) -> dict:
    """A statement of the stack's bucket policies: every request to the bucket denied when condition holds."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"],
        "Condition": condition,
    }


TLS_ONLY = [
    deny_everything("DenyInsecureTransport", {"Bool": {"aws:SecureTransport": "false"}}),
    deny_everything("DenyTlsBelow12", {"NumericLessThan": {"s3:TlsVersion": "1.2"}}),
]


@pytest.fixture(scope="module")
def tls_endpoint():
    with localcloud.running(tls=True) as endpoint:
        yield endpoint


def clients(endpoint: str, ca_bundle: str | None = None):
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
    return lambda service: session.client(service, endpoint_url=endpoint, verify=ca_bundle)


def deny_puts(prefix: str, condition: dict | None = None, principal="*") -> dict:
    """A statement denying uploads under prefix, when condition holds."""
    return {
        "Effect": "Deny",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{{bucket}}/{prefix}*",
        **({"Condition": condition} if condition else {}),
    }


def bucket_with_policy(s3, statements: list[dict]) -> str:
    bucket = f"b-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    document = {"Version": "2012-10-17", "Statement": statements}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(document).replace("{bucket}", bucket))
    return bucket


def refused(call) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def test_plain_http_to_the_tls_only_bucket_is_denied_while_https_succeeds(tls_endpoint):
    assert tls_endpoint.startswith("https://")
    https = clients(tls_endpoint, tls_endpoint.ca_bundle)("s3")
    http = clients(tls_endpoint.replace("https://", "http://", 1))("s3")
    bucket = bucket_with_policy(https, TLS_ONLY)
    https.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert https.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"
    assert https.list_objects_v2(Bucket=bucket)["KeyCount"] == 1
    assert refused(lambda: http.put_object(Bucket=bucket, Key="k2", Body=b"x")) == "AccessDenied"
    assert refused(lambda: http.get_object(Bucket=bucket, Key="k")) == "AccessDenied"
    assert refused(lambda: http.list_objects_v2(Bucket=bucket)) == "AccessDenied"
    assert https.list_objects_v2(Bucket=bucket)["KeyCount"] == 1


def test_a_client_that_does_not_trust_the_certificate_is_refused(tls_endpoint):
    untrusting = clients(tls_endpoint)("s3")
    with pytest.raises(SSLError):
        untrusting.list_buckets()
    context = ssl.create_default_context(cafile=tls_endpoint.ca_bundle)
    address = ("127.0.0.1", int(tls_endpoint.rsplit(":", 1)[1]))
    with context.wrap_socket(socket.create_connection(address), server_hostname="127.0.0.1") as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_the_tls_version_is_the_connections(tls_endpoint):
    s3 = clients(tls_endpoint, tls_endpoint.ca_bundle)("s3")
    bucket = bucket_with_policy(s3, [deny_puts("old/", {"NumericLessThan": {"s3:TlsVersion": "1.4"}})])
    s3.put_object(Bucket=bucket, Key="new/k", Body=b"x")
    assert refused(lambda: s3.put_object(Bucket=bucket, Key="old/k", Body=b"x")) == "AccessDenied"


def test_source_arn_and_account_are_absent_from_a_callers_request(aws):
    """aws:SourceArn and aws:SourceAccount are set only when an AWS service acts for a resource;
    a caller's own request lacks them: a condition on them is false, a negated one true."""
    s3 = aws("s3")
    bucket = bucket_with_policy(
        s3,
        [
            deny_puts("matched/", {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}),
            deny_puts("unmatched/", {"StringNotEquals": {"aws:SourceAccount": "123456789012"}}),
        ],
    )
    s3.put_object(Bucket=bucket, Key="matched/k", Body=b"x")
    assert refused(lambda: s3.put_object(Bucket=bucket, Key="unmatched/k", Body=b"x")) == "AccessDenied"


def test_a_service_principals_statement_does_not_apply_to_a_caller(aws):
    s3 = aws("s3")
    bucket = bucket_with_policy(s3, [deny_puts("", principal={"Service": "logging.s3.amazonaws.com"})])
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")


def test_without_tls_requests_count_as_sent_over_tls(aws):
    """What the README says of a server started without --tls."""
    s3 = aws("s3")
    assert s3.meta.endpoint_url.startswith("http://")
    bucket = bucket_with_policy(s3, TLS_ONLY)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")


def test_a_condition_on_a_key_the_local_cloud_does_not_know_denies(aws):
    s3 = aws("s3")
    bucket = bucket_with_policy(s3, [deny_puts("", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})])
    assert refused(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"x")) == "AccessDenied"


def test_an_unsigned_request_is_allowed_only_what_the_policy_allows_everyone(aws):
    import urllib.error
    import urllib.request

    s3 = aws("s3")
    bucket = bucket_with_policy(
        s3,
        [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/public/*"}],
    )
    for key in ("public/k", "private/k"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    endpoint = s3.meta.endpoint_url
    with urllib.request.urlopen(f"{endpoint}/{bucket}/public/k") as response:
        assert response.read() == b"x"
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{endpoint}/{bucket}/private/k")
    assert raised.value.code == 403 and b"<Code>AccessDenied</Code>" in raised.value.read()
