"""CloudWatch Logs filter patterns as AWS's "Filter and Pattern Syntax" documents them (terms,
`{ JSON conditions }`, `[space, delimited, fields]`): parse() reads one or refuses it with AWS's
words. Regular expressions (`%...%`) are not evaluated: a pattern with one is refused."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

INVALID = "Invalid filter pattern"
UNCLOSED_JSON = "If a filter pattern starts with '{' it must end with '}'"
# A bare term of the unstructured syntax; anything else must be quoted.
BARE_TERM = re.compile(r"[A-Za-z0-9_]+")
UNSTRUCTURED = re.compile(r'\s*([-?]?)\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))')
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\))
    | (?P<selector>\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+)
    | (?P<word>[^\s()&|"=<>!$%]+)
    )""",
    re.VERBOSE,
)
STEP = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]")
# A space-delimited event's fields: [bracketed], "quoted" (without their delimiters), or plain.
EVENT_FIELD = re.compile(r'\[([^\]]*)\]|"((?:[^"\\]|\\.)*)"|(\S+)')
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
MISSING = object()


class InvalidFilterPattern(ValueError):
    """A pattern CloudWatch Logs refuses; its text is AWS's message."""


def unescape(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted)


def wildcard(value: str, text: str) -> bool:
    """A leading or trailing * stands for any text; one inside the value is itself."""
    if value == "*":
        return True
    core = value.removeprefix("*").removesuffix("*")
    if value.startswith("*") and value.endswith("*"):
        return core in text
    if value.startswith("*"):
        return text.endswith(core)
    if value.endswith("*"):
        return text.startswith(core)
    return text == value


def as_number(value: Any) -> float | None:
    """A number, or a string that writes one, as a number (None for any other string)."""
    if isinstance(value, int | float):
        return value
    return float(value) if isinstance(value, str) and NUMBER.fullmatch(value.strip()) else None


@dataclass(frozen=True)
class Literal:
    """A value in a condition: a number (when written as one) or a string with wildcards."""

    text: str
    number: float | None

    def compare(self, op: str, target: Any) -> bool:
        """Whether a string or number from the event stands in relation op to this literal."""
        if self.number is not None:
            found = as_number(target)
            return op == "!=" if found is None else COMPARE[op](found, self.number)
        found_text = target if isinstance(target, str) else json.dumps(target)
        return wildcard(self.text, found_text) == (op == "=")


@dataclass(frozen=True)
class Condition:
    """subject op literal, or subject IS NULL / IS TRUE / IS FALSE / NOT EXISTS (op names the test)."""

    subject: Any
    op: str
    literal: Literal | None = None

    def holds(self, value: Any) -> bool:
        """value is what the subject found in the event (MISSING when it found nothing)."""
        if self.op == "NOT EXISTS":
            return value is MISSING
        if self.op in ("NULL", "TRUE", "FALSE"):
            return value is {"NULL": None, "TRUE": True, "FALSE": False}[self.op]
        # A condition applies to a string or number only; never to an object, array, null or boolean.
        if value is MISSING or value is None or isinstance(value, bool | dict | list):
            return False
        assert self.literal is not None
        return self.literal.compare(self.op, value)


@dataclass(frozen=True)
class Joined:
    """left && right (combine: all) or left || right (combine: any)."""

    combine: Callable[[Iterable[bool]], bool]
    left: Expression
    right: Expression

    def holds_for(self, find: Callable[[Any], Any]) -> bool:
        return self.combine(evaluate(part, find) for part in (self.left, self.right))


Expression = Condition | Joined


def evaluate(node: Expression, find: Callable[[Any], Any]) -> bool:
    """Whether an expression holds, find giving each condition's subject's value."""
    if isinstance(node, Condition):
        return node.holds(find(node.subject))
    return node.holds_for(find)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token of a condition expression; InvalidFilterPattern where none fits."""
    found, position = [], 0
    while text[position:].strip():
        match = TOKEN.match(text, position)
        if not match:
            raise InvalidFilterPattern(INVALID)
        found.append((match.lastgroup or "", match.group(match.lastgroup or 0)))
        position = match.end()
    return found


class ExpressionParser:
    """Conditions joined by && (binding tighter) and ||, with parentheses. subject turns a token
    into what a condition tests (None: not a subject here); tests allows IS NULL/TRUE/FALSE and
    NOT EXISTS (JSON only)."""

    def __init__(self, text: str, subject: Callable[[str, str], Any], tests: bool) -> None:
        self.tokens = tokens(text)
        self.position = 0
        self.subject = subject
        self.tests = tests

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else ("", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if not token[0]:
            raise InvalidFilterPattern(INVALID)
        self.position += 1
        return token

    def parse(self) -> Expression:
        node = self.either()
        if self.position != len(self.tokens):
            raise InvalidFilterPattern(INVALID)
        return node

    def either(self) -> Expression:
        node = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            node = Joined(any, node, self.both())
        return node

    def both(self) -> Expression:
        node = self.unit()
        while self.peek() == ("op", "&&"):
            self.take()
            node = Joined(all, node, self.unit())
        return node

    def unit(self) -> Expression:
        if self.peek() == ("op", "("):
            self.take()
            node = self.either()
            if self.take() != ("op", ")"):
                raise InvalidFilterPattern(INVALID)
            return node
        subject = self.subject(*self.take())
        if subject is None:
            raise InvalidFilterPattern(INVALID)
        return self.condition(subject)

    def condition(self, subject: Any) -> Condition:
        kind, text = self.take()
        if self.tests and (kind, text) == ("word", "IS"):
            test = self.take()
            if test not in (("word", "NULL"), ("word", "TRUE"), ("word", "FALSE")):
                raise InvalidFilterPattern(INVALID)
            return Condition(subject, test[1])
        if self.tests and (kind, text) == ("word", "NOT"):
            if self.take() != ("word", "EXISTS"):
                raise InvalidFilterPattern(INVALID)
            return Condition(subject, "NOT EXISTS")
        if kind != "op" or text not in COMPARE:
            raise InvalidFilterPattern(INVALID)
        value_kind, value = self.take()
        if value_kind == "string":
            literal = Literal(unescape(value[1:-1]), None)
        elif value_kind == "word":
            literal = Literal(value, float(value) if NUMBER.fullmatch(value) else None)
        else:
            raise InvalidFilterPattern(INVALID)
        if text not in ("=", "!=") and literal.number is None:
            raise InvalidFilterPattern(INVALID)  # < <= > >= compare numbers only
        return Condition(subject, text, literal)


def selector_steps(kind: str, text: str) -> tuple[str | int, ...] | None:
    """A JSON selector's steps ($.users[0].id: "users", 0, "id"), None for any other token."""
    if kind != "selector":
        return None
    return tuple(name if name else int(index) for name, index in STEP.findall(text[1:]))


def select(document: Any, steps: Sequence[str | int]) -> Any:
    """The value at steps inside a parsed JSON document, MISSING where a step finds nothing."""
    for step in steps:
        if isinstance(step, int) and isinstance(document, list) and step < len(document):
            document = document[step]
        elif isinstance(step, str) and isinstance(document, dict) and step in document:
            document = document[step]
        else:
            return MISSING
    return document


@dataclass(frozen=True)
class JsonPattern:
    """{ conditions on selectors }: matches a message that is a JSON object satisfying them."""

    expression: Expression

    def matches(self, message: str) -> bool:
        try:
            document = json.loads(message)
        except ValueError:
            return False
        if not isinstance(document, dict):
            return False
        return evaluate(self.expression, lambda steps: select(document, steps))


@dataclass(frozen=True)
class Field:
    """One field of a space-delimited pattern: a name (None when left empty), and the conditions on
    its value; ELLIPSIS stands for any number of fields."""

    name: str | None
    expression: Expression | None = None

    def accepts(self, value: str) -> bool:
        return self.expression is None or evaluate(self.expression, lambda _: value)


ELLIPSIS = Field("...")


def parse_field(text: str) -> Field:
    """One comma-separated part of [ ... ]: empty, ..., a name, or conditions on one name."""
    text = text.strip()
    if not text:
        return Field(None)
    if text == "...":
        return ELLIPSIS
    if re.fullmatch(r"[A-Za-z0-9_]+", text):
        return Field(text)
    names: set[str] = set()

    def subject(kind: str, token: str) -> str | None:
        if kind != "word":
            return None
        names.add(token)
        return token

    expression = ExpressionParser(text, subject, tests=False).parse()
    if len(names) != 1:
        # A field's conditions are on that field alone (AWS refuses `status_code = 4* && bytes > 1000`).
        raise InvalidFilterPattern(INVALID)
    return Field(names.pop(), expression)


def split_fields(text: str) -> list[str]:
    """The comma-separated parts of a space-delimited pattern, commas inside quotes kept."""
    parts, current, quoted, escaped = [], "", False, False
    for character in text:
        if character == "," and not quoted:
            parts.append(current)
            current = ""
            continue
        if character == '"' and not escaped:
            quoted = not quoted
        escaped = character == "\\" and not escaped
        current += character
    if quoted:
        raise InvalidFilterPattern(INVALID)
    return [*parts, current]


def event_fields(message: str) -> list[str]:
    """A space-delimited event's fields, brackets and quotes taken off."""
    fields = []
    for match in EVENT_FIELD.finditer(message):
        bracketed, quoted, plain = match.groups()
        fields.append(plain if plain is not None else bracketed if bracketed is not None else unescape(quoted))
    return fields


def fits(fields: Sequence[Field], values: Sequence[str]) -> bool:
    """Whether the values line up with the fields, each ELLIPSIS taking zero or more of them."""
    if not fields:
        return not values
    first, rest = fields[0], fields[1:]
    if first is ELLIPSIS:
        return any(fits(rest, values[skip:]) for skip in range(len(values) + 1))
    return bool(values) and first.accepts(values[0]) and fits(rest, values[1:])


@dataclass(frozen=True)
class SpaceDelimitedPattern:
    """[ field, field, ... ]: matches a message whose space-delimited fields line up with them."""

    fields: tuple[Field, ...]

    def matches(self, message: str) -> bool:
        return fits(self.fields, event_fields(message))


@dataclass(frozen=True)
class TermsPattern:
    """Terms an unstructured message must contain (all of required, one of optional when there are
    any, none of excluded), case-sensitively and anywhere: the documented `ERROR` matches
    "Exiting with ERRORCODE: -1". A term of other characters than letters, digits and _ is quoted."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def matches(self, message: str) -> bool:
        return (
            all(term in message for term in self.required)
            and (not self.optional or any(term in message for term in self.optional))
            and not any(term in message for term in self.excluded)
        )


def parse_terms(pattern: str) -> TermsPattern:
    groups: dict[str, list[str]] = {"": [], "?": [], "-": []}
    position = 0
    while pattern[position:].strip():
        match = UNSTRUCTURED.match(pattern, position)
        assert match is not None  # UNSTRUCTURED matches any text with a non-space character
        sign, quoted, bare = match.groups()
        if quoted is not None:
            term = unescape(quoted)
            if not term:
                raise InvalidFilterPattern("Invalid character(s) in term '\"\"'")
        elif BARE_TERM.fullmatch(bare):
            term = bare
        else:
            raise InvalidFilterPattern(f"Invalid character(s) in term '{bare}'")
        groups[sign].append(term)
        position = match.end()
    return TermsPattern(tuple(groups[""]), tuple(groups["?"]), tuple(groups["-"]))


Pattern = TermsPattern | JsonPattern | SpaceDelimitedPattern


def parse(pattern: str | None) -> Pattern:
    """The pattern, read by its first character; an empty one matches every event."""
    text = (pattern or "").strip()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise InvalidFilterPattern(UNCLOSED_JSON)
        return JsonPattern(ExpressionParser(text[1:-1], selector_steps, tests=True).parse())
    if text.startswith("["):
        if not text.endswith("]"):
            raise InvalidFilterPattern(INVALID)
        return SpaceDelimitedPattern(tuple(parse_field(part) for part in split_fields(text[1:-1])))
    return parse_terms(text)


def matches(pattern: str | None, message: str) -> bool:
    """Whether message matches pattern (InvalidFilterPattern when AWS would refuse the pattern)."""
    return parse(pattern).matches(message)
