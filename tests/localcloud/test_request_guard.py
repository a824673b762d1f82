"""The local cloud refuses web pages of foreign origins, foreign Host names (DNS rebinding) and
unknown regions before moto sees them, in AWS's error shapes, and changes nothing when it does;
AWS clients and localhost pages keep working."""

from __future__ import annotations

import contextlib
import http.client
import uuid
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localcloud import LOCAL_CREDENTIALS, request_guard
from localcloud import server as localcloud


def send(endpoint: str, method: str, path: str = "/", body: str = "", headers: dict | None = None, context=None):
    """One raw request (as a browser would send it), on a connection of its own."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=30, context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    with contextlib.closing(connection):
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()


def with_headers(client, headers: dict):
    """client, sending headers as a web page's SDK (Origin) or a rebinding page (Host) would."""

    def add(request, **_):
        for name, value in headers.items():
            request.headers[name] = value

    client.meta.events.register("before-send", add)
    return client


def queue_names(aws) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in aws("sqs").list_queues().get("QueueUrls", [])]


def refusal(call) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    error = raised.value.response
    return error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"], error["Error"]["Message"]


def test_a_foreign_origin_is_refused_and_creates_no_queue(aws):
    name = f"evil-{uuid.uuid4().hex[:8]}"
    sqs = with_headers(aws("sqs"), {"Origin": "http://evil.example"})
    status, code, message = refusal(lambda: sqs.create_queue(QueueName=name))
    assert (status, code) == (403, "AccessDeniedException")
    assert "not a loopback origin" in message
    assert name not in queue_names(aws)


def test_a_refusal_carries_no_cors_allowance_and_has_the_shape_of_the_service(endpoint):
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}
    status, headers, body = send(endpoint, "POST", body="Action=GetCallerIdentity&Version=2011-06-15", headers=form)
    assert status == 403
    assert not any(header.lower().startswith("access-control-") for header in headers)
    assert "<Code>AccessDenied</Code>" in body and "not a loopback origin" in body


def test_an_s3_refusal_is_s3s_error_whatever_the_object_type(aws):
    s3 = with_headers(aws("s3"), {"Origin": "http://evil.example"})
    put = lambda: s3.put_object(Bucket="any", Key="a.json", Body=b"{}", ContentType="application/json")  # noqa: E731
    assert refusal(put)[:2] == (403, "AccessDenied")


def test_a_cors_preflight_from_a_foreign_origin_is_not_allowed(endpoint):
    preflight = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    status, headers, _ = send(endpoint, "OPTIONS", headers=preflight)
    assert status == 403
    assert not any(header.lower().startswith("access-control-") for header in headers)


@pytest.mark.parametrize(
    "origin", ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080", "http://app.localhost:5173"]
)
def test_a_loopback_origin_may_call_it_and_gets_its_cors_allowance(endpoint, aws, origin):
    name = f"page-{uuid.uuid4().hex[:8]}"
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    assert send(endpoint, "OPTIONS", headers=preflight)[1].get("Access-Control-Allow-Origin") == origin
    with_headers(aws("sqs"), {"Origin": origin}).create_queue(QueueName=name)
    assert name in queue_names(aws)


@pytest.mark.parametrize(
    "origin", ["null", "http://localhost.evil.example", "file://", "http://127.0.0.1.evil.example"]
)
def test_origins_that_only_look_local_are_refused(aws, origin):
    sqs = with_headers(aws("sqs"), {"Origin": origin})
    assert refusal(lambda: sqs.create_queue(QueueName="never"))[:2] == (403, "AccessDeniedException")


def test_a_foreign_host_is_refused_and_creates_no_queue(endpoint, aws):
    name = f"rebound-{uuid.uuid4().hex[:8]}"
    sqs = with_headers(aws("sqs"), {"Host": f"evil.example:{urlsplit(endpoint).port}"})
    status, code, message = refusal(lambda: sqs.create_queue(QueueName=name))
    assert (status, code) == (403, "AccessDeniedException")
    assert "DNS rebinding" in message and "evil.example" in message
    assert name not in queue_names(aws)


def test_localhost_as_host_works(endpoint, aws):
    name = f"named-{uuid.uuid4().hex[:8]}"
    with_headers(aws("sqs"), {"Host": f"localhost:{urlsplit(endpoint).port}"}).create_queue(QueueName=name)
    assert name in queue_names(aws)


def resolving_to(address: str):
    """A before-send hook that connects to address and keeps the request's Host, as a resolver
    that maps every subdomain of localhost to loopback would (RFC 6761; browsers do)."""

    def connect(request, **_):
        name = urlsplit(request.url).netloc
        request.headers["Host"] = name
        request.url = request.url.replace(name, address, 1)

    return connect


def test_virtual_hosted_buckets_under_localhost_work(endpoint):
    port = urlsplit(endpoint).port
    s3 = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=f"http://localhost:{port}",
        config=Config(s3={"addressing_style": "virtual"}),
        **LOCAL_CREDENTIALS,
    )
    s3.meta.events.register("before-send", resolving_to(f"127.0.0.1:{port}"))
    bucket = f"virtual-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"through bucket.localhost")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"through bucket.localhost"


def client(endpoint: str, service: str, region: str):
    return boto3.session.Session(region_name=region, **LOCAL_CREDENTIALS).client(
        service, endpoint_url=endpoint, config=Config(retries={"total_max_attempts": 1})
    )


@pytest.mark.parametrize(
    ("service", "call", "status", "code"),
    [
        ("sqs", lambda c: c.create_queue(QueueName="in-no-region"), 403, "InvalidSignatureException"),
        ("dynamodb", lambda c: c.list_tables(), 403, "InvalidSignatureException"),
        ("lambda", lambda c: c.list_functions(), 403, "InvalidSignatureException"),
        ("cloudformation", lambda c: c.describe_stacks(), 403, "SignatureDoesNotMatch"),
        ("sts", lambda c: c.get_caller_identity(), 403, "SignatureDoesNotMatch"),
    ],
)
def test_an_unknown_region_is_refused_as_aws_refuses_it(endpoint, service, call, status, code):
    refused = refusal(lambda: call(client(endpoint, service, "us-east-11")))
    assert refused[:2] == (status, code)
    assert "us-east-11" in refused[2]


def test_s3_answers_an_unknown_region_with_the_region_to_use(endpoint):
    """As S3 does; the AWS SDKs then retry in that region (botocore's S3 region redirector)."""
    scope = "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-11/s3/aws4_request, SignedHeaders=host, Signature=0"
    status, _, body = send(endpoint, "PUT", "/in-no-region", headers={"Authorization": scope})
    assert status == 400
    assert "<Code>AuthorizationHeaderMalformed</Code>" in body
    assert "the region 'us-east-11' is wrong; expecting 'us-east-1'" in body and "<Region>us-east-1</Region>" in body


def test_every_region_aws_has_is_served(endpoint):
    for region in ("ap-southeast-5", "eu-central-2", "cn-north-1", "us-gov-west-1"):
        assert client(endpoint, "dynamodb", region).list_tables()["TableNames"] == []


def remote_guard(host_header: str, allow_remote: bool) -> int:
    """The status the guard alone gives a request under host_header (200: passed to the app)."""
    statuses = []

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b""]

    guarded = request_guard.guard(app, allow_remote, served_host="devbox.example")
    guarded({"HTTP_HOST": host_header}, lambda status, headers: statuses.append(int(status.split()[0])))
    return statuses[0]


@pytest.mark.parametrize(
    ("host", "local", "remote"),
    [
        ("127.0.0.1:4566", 200, 200),
        ("[::1]:4566", 200, 200),
        ("bucket.localhost:4566", 200, 200),
        ("192.168.1.5:4566", 403, 200),
        ("[fe80::1]:4566", 403, 200),
        ("devbox.example:4566", 403, 200),
        ("bucket.devbox.example:4566", 403, 200),
        ("evil.example:4566", 403, 403),
        ("", 403, 403),
        ("[::1:4566", 403, 403),
    ],
)
def test_with_allow_remote_a_host_may_be_an_address_or_this_machines_name(host, local, remote):
    assert (remote_guard(host, False), remote_guard(host, True)) == (local, remote)


def test_the_https_side_is_guarded_too():
    with localcloud.running(tls=True) as endpoint:
        session = boto3.session.Session(region_name="us-east-1", **LOCAL_CREDENTIALS)
        sqs = session.client("sqs", endpoint_url=endpoint, verify=endpoint.ca_bundle)
        name = f"tls-{uuid.uuid4().hex[:8]}"
        foreign = with_headers(
            session.client("sqs", endpoint_url=endpoint, verify=endpoint.ca_bundle), {"Origin": "http://evil.example"}
        )
        refused = refusal(lambda: foreign.create_queue(QueueName=name))
        assert endpoint.startswith("https://")
        assert refused[:2] == (403, "AccessDeniedException")
        assert "QueueUrls" not in sqs.list_queues()
        with_headers(sqs, {"Origin": "https://localhost"}).create_queue(QueueName=name)
        assert sqs.list_queues()["QueueUrls"][0].endswith(name)
