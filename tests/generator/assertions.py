"""CDK-assertions style look-ups: find resources by type and properties, never by position."""

from __future__ import annotations


def matches(actual, expected) -> bool:
    """True when every key of `expected` is in `actual` with a matching value (recursively for
    dicts; lists must match element by element)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(matches(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return actual == expected


def resources(template: dict, resource_type: str, properties: dict | None = None) -> dict:
    """Logical ID to resource, for every resource of a type whose properties match."""
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type and matches(resource.get("Properties", {}), properties or {})
    }


def only(template: dict, resource_type: str, properties: dict | None = None) -> tuple[str, dict]:
    """The one resource of a type whose properties match; fails when there are none or several."""
    found = resources(template, resource_type, properties)
    assert len(found) == 1, f"expected one {resource_type} matching {properties}, found {list(found)}"
    return next(iter(found.items()))


def statements(document: dict) -> list[dict]:
    """Statements of a policy document."""
    assert document["Version"] == "2012-10-17"
    return document["Statement"]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]
