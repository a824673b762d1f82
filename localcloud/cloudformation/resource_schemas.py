"""Which properties of a resource type an update cannot change in place, as the CloudFormation
resource schemas say: createOnlyProperties (a change replaces the resource) and
conditionalCreateOnlyProperties (a change may), read from the schemas cfn-lint ships, once per
resource type, without importing cfn-lint."""

from __future__ import annotations

import functools
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

# The region whose provider schemas are read (cfn-lint keeps one index per region).
REGION = "us-east-1"


@dataclass(frozen=True)
class CreateOnly:
    """JSON pointers (/properties/Name/...) into a resource's properties: a change under one of
    `always` replaces the resource, under one of `conditionally` it may."""

    always: tuple[str, ...] = ()
    conditionally: tuple[str, ...] = ()


@functools.cache
def schemas() -> Path:
    """cfn-lint's schema folder (found without importing cfn-lint, whose import is slow)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the local cloud reads CloudFormation's resource schemas from cfn-lint: pip install -e '.[local]'"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@functools.cache
def schema_files() -> dict[str, str]:
    """Resource type to the name of its schema file (cfn-lint stores each schema under its hash)."""
    return json.loads((schemas() / "providers" / f"{REGION}.json").read_text(encoding="utf-8"))


@functools.cache
def create_only(resource_type: str) -> CreateOnly:
    """What the resource type's schema marks create-only; nothing for a type without a schema
    (a custom resource)."""
    name = schema_files().get(resource_type)
    if name is None:
        return CreateOnly()
    schema = json.loads((schemas() / "resources" / f"{name}.json").read_text(encoding="utf-8"))
    return CreateOnly(
        tuple(schema.get("createOnlyProperties", ())), tuple(schema.get("conditionalCreateOnlyProperties", ()))
    )
