"""How the template reaches CloudFormation: compact JSON as TemplateBody, or, above the
51,200-byte TemplateBody limit, an object in the artifacts bucket named by its SHA-256, as
TemplateURL."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from deployment.artifacts import ArtifactsBucket

MAX_TEMPLATE_BODY = 51_200


def compact(template: dict) -> str:
    return json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def template_source(template: dict, bucket: Callable[[], ArtifactsBucket]) -> dict[str, str]:
    """{"TemplateBody": ...} when it fits, else {"TemplateURL": ...} after uploading it to the
    bucket that bucket() makes ready."""
    body = compact(template)
    data = body.encode("utf-8")
    if len(data) <= MAX_TEMPLATE_BODY:
        return {"TemplateBody": body}
    artifacts = bucket()
    key = f"uploadtrail/template-{hashlib.sha256(data).hexdigest()}.json"
    artifacts.upload(key, data, "application/json")
    return {"TemplateURL": artifacts.url(key)}
