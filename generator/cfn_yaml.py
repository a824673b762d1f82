"""A template's YAML in cfn-flip's style (short intrinsic-function tags, sequences indented under
their key), written by libyaml when PyYAML has it and by PyYAML's Python emitter otherwise."""

from __future__ import annotations

import json
import re

import yaml

WIDTH = 200
BLOCK_LINES = 10
SIMPLE_KEY_BYTES = 128
STRING_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQUENCE_TAG = "tag:yaml.org,2002:seq"
SHORT_TAG_KEYS = ("Ref", "Condition")
FUNCTION_PREFIX = "Fn::"
ACCOUNT_ID = re.compile(r"^0[0-9]+$")
OTHER_SCALARS = yaml.representer.SafeRepresenter()
# The end of a line whose mapping key's value is a block below it: "Key:" or "Key: !Tag".
KEY_WITH_BLOCK_VALUE = re.compile(r":(?: ![^ ]+)?$")


def tagged_style(value: str) -> str | None:
    """cfn-flip's quoting of a scalar: single quotes when it reads as an account id, double quotes
    when it holds a line break, else the emitter's choice."""
    if ACCOUNT_ID.match(value):
        return "'"
    return '"' if "\n" in value or "\r" in value else None


def string_style(value: str) -> str | None:
    """cfn-flip's quoting of a string: a literal block from ten line breaks on, folded from the
    line width on, single quotes when it starts with a zero, else as tagged_style."""
    if value.count("\n") + value.count("\r") >= BLOCK_LINES:
        style = "|"
    elif len(value) >= WIDTH and "\n" not in value:
        style = ">"
    elif value.startswith("0"):
        style = "'"
    else:
        return tagged_style(value)
    return "'" if ACCOUNT_ID.match(value) else style


def short_tag(key: str) -> str | None:
    """The short-form tag of an intrinsic function's key (`Ref` -> `!Ref`, `Fn::Sub` -> `!Sub`)."""
    if key in SHORT_TAG_KEYS:
        return f"!{key}"
    return f"!{key[len(FUNCTION_PREFIX) :]}" if key.startswith(FUNCTION_PREFIX) else None


def collection(tag: str, data: dict | list) -> yaml.Node:
    if isinstance(data, dict):
        return yaml.MappingNode(tag, [(node(key), node(value)) for key, value in data.items()], flow_style=False)
    return yaml.SequenceNode(tag, [node(item) for item in data], flow_style=False)


def node(data: object) -> yaml.Node:
    """data as cfn-flip represents it: a one-key mapping of an intrinsic function in its short form
    (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...`), mappings in their own order, strings quoted by
    string_style, other scalars as PyYAML's safe representer writes them."""
    if isinstance(data, str):
        return yaml.ScalarNode(STRING_TAG, data, style=string_style(data))
    if isinstance(data, list):
        return collection(SEQUENCE_TAG, data)
    if not isinstance(data, dict):
        return OTHER_SCALARS.represent_data(data)
    tag = short_tag(next(iter(data))) if len(data) == 1 else None
    if tag is None:
        return collection(MAP_TAG, data)
    (argument,) = data.values()
    if tag == "!GetAtt" and isinstance(argument, list):
        argument = ".".join(argument)
    if isinstance(argument, (dict, list)):
        return collection(tag, argument)
    # Quoted as cfn-flip's Python emitter quotes a tagged scalar; libyaml would write it plain.
    return yaml.ScalarNode(tag, argument, style=tagged_style(argument) or "'")


class PythonDumper(yaml.SafeDumper):
    """PyYAML's Python emitter, with a sequence under a key indented ("  - item") as cfn-flip does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# libyaml writes a sequence under a key at the key's column, whatever it is told: see indent_sequences.
LIBYAML_DUMPER = yaml.CSafeDumper if yaml.__with_libyaml__ else None


def dump(data: object, dumper: type) -> str:
    return yaml.serialize(node(data), Dumper=dumper, allow_unicode=True, width=WIDTH)


def content_column(line: str) -> int:
    """The column where a line's node starts, after its indentation and sequence item marks."""
    column = len(line) - len(line.lstrip(" "))
    while line.startswith("- ", column):
        column += 2
    return column


def indent_sequences(text: str) -> str:
    """text, with each sequence that is written at its mapping key's column (and all the sequence
    holds) moved two columns right. Exact when every scalar is on one line."""
    lines = text.split("\n")
    open_columns: list[int] = []
    previous = ""
    for number, line in enumerate(lines):
        column = len(line) - len(line.lstrip(" "))
        item = line.startswith("- ", column)
        while open_columns and (open_columns[-1] > column or (open_columns[-1] == column and not item)):
            open_columns.pop()
        if item and KEY_WITH_BLOCK_VALUE.search(previous) and content_column(previous) == column:
            open_columns.append(column)
        previous = line
        if open_columns:
            lines[number] = " " * (2 * len(open_columns)) + line
    return "\n".join(lines)


def written_alike(data: object) -> bool:
    """Whether both emitters write every scalar of data on one line in the same style: strings
    short, printable and in the Basic Multilingual Plane (libyaml escapes the rest), keys non-empty
    and short enough to be simple keys for both (libyaml counts bytes, PyYAML characters)."""
    if isinstance(data, dict):
        return all(
            0 < len(key.encode()) < SIMPLE_KEY_BYTES and written_alike(key) and written_alike(value)
            for key, value in data.items()
        )
    if isinstance(data, list):
        return all(written_alike(item) for item in data)
    if isinstance(data, str):
        return len(data) < WIDTH and data.isprintable() and (data.isascii() or max(data) <= "\uffff")
    return True


def libyaml_text(data: object) -> str | None:
    """data's YAML written by libyaml, or None when libyaml is missing or could not give the
    Python emitter's bytes (a scalar that is long, spans lines or needs escapes)."""
    if LIBYAML_DUMPER is None or not written_alike(data):
        return None
    text = indent_sequences(dump(data, LIBYAML_DUMPER))
    return text if max(map(len, text.split("\n"))) <= WIDTH else None


def python_text(data: object) -> str:
    """data's YAML written by PyYAML's Python emitter (what cfn-flip writes)."""
    return dump(data, PythonDumper)


def to_yaml(json_text: str) -> str:
    """The YAML twin of a JSON template, keys in the JSON's order."""
    data = json.loads(json_text)
    return libyaml_text(data) or python_text(data)
