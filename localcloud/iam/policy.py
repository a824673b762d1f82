"""IAM policy evaluation as AWS documents it, for identity and bucket policies: explicit deny,
then allow, else implicit deny; wildcards in actions, resources and principals; conditions."""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


class Decision(enum.Enum):
    EXPLICIT_DENY = "explicit deny"
    ALLOW = "allow"
    IMPLICIT_DENY = "implicit deny"


@dataclass(frozen=True)
class Principal:
    """Who signed a request: an ARN (None when anonymous) and its account."""

    arn: str | None
    account: str | None
    # Other ARNs a policy may name for the same caller (an assumed role's role ARN).
    aliases: tuple[str, ...] = field(default=())
    # The AWS service acting (s3.amazonaws.com when S3 invokes a function), named by a policy's
    # {"Service": ...} principal.
    service: str | None = None


@dataclass(frozen=True)
class Request:
    """What a statement is evaluated against."""

    action: str
    resource: str
    principal: Principal
    context: dict[str, str]


# Context keys the local cloud fills in for every request that has them. A condition on any other
# key cannot be decided here: a Deny statement then applies and an Allow statement does not.
KNOWN_KEYS = frozenset({"aws:securetransport", "s3:tlsversion", "aws:sourcearn", "aws:sourceaccount"})


def wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's * and ? wildcards; every other character literal."""
    expression = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(expression, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def arn_like(pattern: str, arn: str) -> bool:
    """ArnLike: six colon-separated parts, each matched with wildcards."""
    pattern_parts, arn_parts = pattern.split(":", 5), arn.split(":", 5)
    return len(pattern_parts) == len(arn_parts) == 6 and all(map(wildcard, pattern_parts, arn_parts))


def numeric(test):
    """A Numeric* operator: both sides numbers, and test(request value, policy value)."""

    def compare(want: str, have: str) -> bool:
        wanted, had = number(want), number(have)
        return wanted is not None and had is not None and test(had, wanted)

    return compare


COMPARISONS = {
    "StringEquals": lambda want, have: want == have,
    "StringEqualsIgnoreCase": lambda want, have: want.lower() == have.lower(),
    "StringLike": wildcard,
    "ArnEquals": arn_like,
    "ArnLike": arn_like,
    "Bool": lambda want, have: want.lower() == have.lower(),
    "NumericEquals": numeric(operator.eq),
    "NumericLessThan": numeric(operator.lt),
    "NumericLessThanEquals": numeric(operator.le),
    "NumericGreaterThan": numeric(operator.gt),
    "NumericGreaterThanEquals": numeric(operator.ge),
}
NEGATIONS = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
}


def condition_holds(operator: str, key: str, wanted: list[str], context: dict[str, str]) -> bool | None:
    """One operator on one key, as the IAM user guide's "Condition operators" page defines it
    (a key missing from the request: false, but true for negated operators, ...IfExists and Null
    true); None when the local cloud cannot decide it."""
    if key.lower() not in KNOWN_KEYS:
        return None
    present = {k.lower(): v for k, v in context.items()}
    have = present.get(key.lower())
    if operator == "Null":
        return any(str(w).lower() == ("true" if have is None else "false") for w in wanted)
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    negated = base in NEGATIONS
    compare = COMPARISONS.get(NEGATIONS.get(base, base))
    if compare is None:
        return None
    if have is None:
        return if_exists or negated
    matched = any(compare(str(w), have) for w in wanted)
    return not matched if negated else matched


def conditions_hold(conditions: dict, context: dict[str, str]) -> bool | None:
    """Every operator and key must hold (AND); None when one cannot be decided and none fails."""
    undecided = False
    for name, keys in conditions.items():
        for key, wanted in keys.items():
            result = condition_holds(name, key, [str(w) for w in as_list(wanted)], context)
            if result is False:
                return False
            undecided = undecided or result is None
    return None if undecided else True


def principal_matches(element, principal: Principal, effect: str) -> bool:
    """A resource policy's Principal: "*", {"AWS": ...} with ARNs or account IDs, or {"Service":
    ...} naming the service that acts (no service signs requests to the local cloud: only its own
    checks act as one). An account named in an Allow only delegates to that account's IAM
    policies, so it grants nothing by itself."""
    if element == "*":
        return True
    if isinstance(element, dict) and principal.service and principal.service in as_list(element.get("Service", [])):
        return True
    for value in as_list(element.get("AWS", [])) if isinstance(element, dict) else []:
        if value == "*":
            return True
        if principal.arn and value in (principal.arn, *principal.aliases):
            return True
        account = value.split(":")[4] if value.startswith("arn:") and value.endswith(":root") else value
        if effect == "Deny" and principal.account and account == principal.account:
            return True
    return False


def statement_applies(statement: dict, request: Request, resource_policy: bool) -> bool | None:
    """Whether the statement covers the request; None when only an undecidable condition stands
    between them."""
    if "NotAction" in statement:
        if any(wildcard(a, request.action, ignore_case=True) for a in as_list(statement["NotAction"])):
            return False
    elif not any(wildcard(a, request.action, ignore_case=True) for a in as_list(statement.get("Action", []))):
        return False
    if "NotResource" in statement:
        if any(wildcard(r, request.resource) for r in as_list(statement["NotResource"])):
            return False
    elif not any(wildcard(r, request.resource) for r in as_list(statement.get("Resource", []))):
        return False
    if resource_policy:
        if "NotPrincipal" in statement:
            if principal_matches(statement["NotPrincipal"], request.principal, "Deny"):
                return False
        elif not principal_matches(statement.get("Principal", {}), request.principal, statement["Effect"]):
            return False
    return conditions_hold(statement.get("Condition", {}), request.context)


def statements(document: dict) -> list[dict]:
    return as_list(document.get("Statement", []))


def evaluate(documents: Iterable[dict], request: Request, resource_policy: bool = False) -> Decision:
    """Explicit deny beats allow; nothing that allows is an implicit deny. A statement whose
    condition cannot be decided counts for Deny and not for Allow."""
    allowed = False
    for document in documents:
        for statement in statements(document):
            applies = statement_applies(statement, request, resource_policy)
            if statement["Effect"] == "Deny" and applies is not False:
                return Decision.EXPLICIT_DENY
            allowed = allowed or (statement["Effect"] == "Allow" and applies is True)
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY
