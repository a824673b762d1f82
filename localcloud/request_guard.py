"""What the local cloud refuses before moto sees a request, and the words of each refusal: a web
page's request from a foreign origin, a request under a foreign Host name (DNS rebinding), and a
request signed for a region that does not exist (moto would fail with a KeyError); each refusal is
an error in the shape AWS gives it for the request's protocol, with no CORS allowance."""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from localcloud.request_context import credential

LOOPBACK_ORIGINS = "http(s)://localhost, 127.0.0.1 or [::1], any port, or a subdomain of localhost"
# The region S3's AuthorizationHeaderMalformed expects: the local cloud's S3 answers as us-east-1's.
S3_ENDPOINT_REGION = "us-east-1"
REQUEST_ID = "local-cloud-refusal"


@dataclass(frozen=True)
class Refusal:
    """An error answered instead of moto: its status, its code in XML (S3 and the query protocol)
    and in JSON protocols, and its message."""

    status: int
    xml_code: str
    json_code: str
    message: str


def foreign_origin(origin: str) -> Refusal:
    return Refusal(
        403,
        "AccessDenied",
        "AccessDeniedException",
        f"The local cloud runs the code uploaded to it, so it refuses requests from web pages of other origins: "
        f"Origin {origin!r} is not a loopback origin ({LOOPBACK_ORIGINS}).",
    )


def foreign_host(host: str, allow_remote: bool) -> Refusal:
    remote = ", an IP address, this machine's name or the name given to --host" if allow_remote else ""
    return Refusal(
        403,
        "AccessDenied",
        "AccessDeniedException",
        f"The local cloud refuses requests under a name it does not answer to (DNS rebinding defence): Host "
        f"{host!r} is not localhost, a subdomain of localhost or a loopback address{remote}. Use an endpoint "
        f"such as http://localhost:PORT or http://127.0.0.1:PORT.",
    )


def unknown_region(region: str, service: str) -> Refusal:
    if service == "s3":
        message = (
            f"The authorization header is malformed; the region '{region}' is wrong; expecting '{S3_ENDPOINT_REGION}'"
        )
        return Refusal(400, "AuthorizationHeaderMalformed", "AuthorizationHeaderMalformed", message)
    message = f"Credential should be scoped to a valid region, not '{region}'."
    return Refusal(403, "SignatureDoesNotMatch", "InvalidSignatureException", message)


def not_loopback(host: str) -> str:
    return (
        f"--host {host} is not a loopback address: the local cloud runs the code uploaded to it, so anyone who "
        f"can reach it could run code on this machine. Serve on 127.0.0.1 (the default) or localhost, or add "
        f"--allow-remote (allow_remote=True from Python) to serve {host} anyway."
    )


def remote_warning(host: str, port: int) -> str:
    return (
        f"warning: serving on {host} with --allow-remote: anyone who can reach port {port} can run code on this "
        f"machine (the local cloud runs the code uploaded to it, with no authentication)."
    )


def is_loopback_name(name: str) -> bool:
    """localhost, a subdomain of it (both resolve to loopback: RFC 6761), or a loopback address."""
    name = name.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def is_loopback_origin(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and is_loopback_name(parts.hostname or "")


def host_name(host_header: str) -> str:
    """The name or address in a Host header, without its port."""
    try:
        return urlsplit(f"//{host_header}").hostname or ""
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        return ""


@cache
def known_regions() -> frozenset[str]:
    """Every region of every partition botocore knows: the regions that exist. Read through the
    session moto lists each service's regions with, which then reads botocore's endpoints once."""
    from moto.core.base_backend import AccountSpecificBackend

    endpoints = AccountSpecificBackend.get_session()._session.get_data("endpoints")  # boto3's botocore session
    return frozenset(region for partition in endpoints["partitions"] for region in partition["regions"])


def guard(app, allow_remote: bool = False, served_host: str = "127.0.0.1"):
    """The WSGI application app behind the refusals. With allow_remote a Host may also be an IP
    address, this machine's name or served_host (or a subdomain of either, for virtual-hosted
    buckets): a name nobody gave the server is how a rebinding page reaches it, so those stay
    refused. The Origin must be a loopback one either way."""
    names = {name.lower() for name in (socket.gethostname(), socket.getfqdn(), served_host)} if allow_remote else set()

    def host_allowed(name: str) -> bool:
        if is_loopback_name(name):
            return True
        return allow_remote and (is_address(name) or any(name == n or name.endswith(f".{n}") for n in names if n))

    def application(environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        host = environ.get("HTTP_HOST", "")
        scope = credential(environ)
        if origin is not None and not is_loopback_origin(origin):
            return refuse(foreign_origin(origin), environ, start_response)
        if not host_allowed(host_name(host)):
            return refuse(foreign_host(host, allow_remote), environ, start_response)
        if len(scope) == 5 and scope[2] not in known_regions():
            return refuse(unknown_region(scope[2], scope[3]), environ, start_response)
        return app(environ, start_response)

    return application


def protocol(environ: dict) -> str:
    """How the request's service words errors: "json" (JSON and REST-JSON services), "query"
    (form-encoded requests: CloudFormation, IAM, STS) or "s3" (S3, and unsigned requests)."""
    content_type = environ.get("CONTENT_TYPE", "")
    scope = credential(environ)
    if len(scope) == 5 and scope[3] == "s3":
        return "s3"
    if "x-www-form-urlencoded" in content_type:
        return "query"
    if "HTTP_X_AMZ_TARGET" in environ or "json" in content_type or len(scope) == 5:
        return "json"
    return "s3"


def refuse(refusal: Refusal, environ: dict, start_response) -> list[bytes]:
    kind = protocol(environ)
    message = escape(refusal.message)
    if kind == "json":
        body = json.dumps({"__type": refusal.json_code, "message": refusal.message})
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", refusal.json_code)]
    elif kind == "query":
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{refusal.xml_code}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"
        )
        headers = [("Content-Type", "text/xml")]
    else:
        region = f"<Region>{S3_ENDPOINT_REGION}</Region>" if refusal.status == 400 else ""
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{refusal.xml_code}</Code><Message>{message}'
            f"</Message>{region}<RequestId>{REQUEST_ID}</RequestId></Error>"
        )
        headers = [("Content-Type", "application/xml")]
    encoded = body.encode()
    reason = "Bad Request" if refusal.status == 400 else "Forbidden"
    start_response(f"{refusal.status} {reason}", [*headers, ("Content-Length", str(len(encoded)))])
    return [encoded]
