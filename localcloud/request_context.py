"""What policies' conditions and principals need to know about the request being handled: its
transport (aws:SecureTransport, s3:TlsVersion) and the access key that signed it. The server
records both per request; each request runs in its own thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Transport:
    """How one request reached the server."""

    secure: bool
    tls_version: str | None  # "1.2", "1.3"; None over plain HTTP

    def condition_keys(self) -> dict[str, str]:
        """The request-context keys AWS sets from the connection."""
        keys = {"aws:SecureTransport": "true" if self.secure else "false"}
        if self.tls_version:
            keys["s3:TlsVersion"] = self.tls_version
        return keys


# A server without TLS cannot tell: it evaluates every request as sent over TLS 1.3 (README).
WITHOUT_TLS = Transport(secure=True, tls_version="1.3")
CURRENT = threading.local()


def credential(environ: dict) -> list[str]:
    """The credential of a SigV4 Authorization header or presigned URL: [access key ID, date,
    region, service, "aws4_request"]; [access key ID] for a SigV2 presigned URL; [] when unsigned."""
    authorization = environ.get("HTTP_AUTHORIZATION") or ""
    if "Credential=" in authorization:
        return authorization.split("Credential=", 1)[1].split(",", 1)[0].split("/")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    presigned = query.get("X-Amz-Credential") or query.get("AWSAccessKeyId")
    return presigned[0].split("/") if presigned else []


def record(transport: Transport, environ: dict) -> None:
    CURRENT.transport = transport
    CURRENT.credential = credential(environ)
    CURRENT.denied = set()


def transport() -> Transport:
    """The transport of the request this thread handles (WITHOUT_TLS outside any request)."""
    return getattr(CURRENT, "transport", WITHOUT_TLS)


def signing_key() -> str | None:
    """The access key ID that signed the request; None when unsigned."""
    return (getattr(CURRENT, "credential", None) or [None])[0]


def signing_service() -> str:
    """The service the request was signed for (IAM's action prefix: s3, dynamodb, sqs...)."""
    signed = getattr(CURRENT, "credential", [])
    return signed[3] if len(signed) > 3 else ""


def deny(resource: str) -> None:
    """Mark one resource of the request denied (an object of a multi-object delete, which S3 reports
    per object)."""
    CURRENT.denied.add(resource)


def denied(resource: str) -> bool:
    return resource in getattr(CURRENT, "denied", ())
