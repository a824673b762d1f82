"""The YAML writer gives cfn-flip's bytes, through libyaml and through PyYAML's Python emitter alike."""

import json

import cfn_flip
import pytest
import yaml

from generator import cfn_yaml
from generator.render import to_json
from tests.conftest import PROJECT_ROOT

# Strings whose quoting differs between plain, single and double quotes, or between the emitters.
TRICKY = [
    "", "yes", "null", "~", "true", "0", "0123", "1.5", "1e3", "0x1F", ".inf", "=", "<<", "2010-09-09",
    "- x", "-x", "a: b", "a:b", "x:", ":x", "#x", "x #y", "'q'", '"dq"', "@x", "`x", "%x", "!x", "&x",
    "*", "*x", "|x", ">x", "{x}", "[x]", "?x", "? x", "x?", "a,b", "---", "...", " lead", "trail ",
    "ünïcödé →", "arn:aws:s3:::b/*", "${AWS::StackName}-x", "^[0-9]*$", "{{resolve:ssm:/p}}", "Fn::Sub",
    "x" * 150, " ".join(["word"] * 30),
]  # fmt: skip
# Strings only the Python emitter writes as cfn-flip does: long, spanning lines, escaped, astral.
PYTHON_ONLY = ["x" * 199 + "y", "x" * 200, "0" * 205, "line\nbreak", "\n".join("abcdefghijkl"), "tab\t", "\u2028", "😀"]
# Keys libyaml writes otherwise: empty, or too long for a simple key in UTF-8 bytes.
PYTHON_ONLY_KEYS = ["", "k" * 128, "ü" * 64]


def template(text: str, key: str = "Key") -> dict:
    """A template holding text in every position the writer treats differently."""
    return {
        "Resources": {
            "R": {
                "Type": "AWS::X::Y",
                "Properties": {
                    key: [text, {"Ref": text}, [text, [text]], {"Fn::If": ["C", text, {"Ref": "AWS::NoValue"}]}],
                    text[:40] or "Empty": text,
                    "Sub": {"Fn::Sub": [text, {"V": {"Ref": "X"}}]},
                    "Items": [{"K": [{"L": [text]}], "M": text}, {}, []],
                    "Att": {"Fn::GetAtt": ["A", "B"]},
                    "Azs": {"Fn::GetAZs": ""},
                    "Transform": {"Fn::Transform": {"Name": "X", "Parameters": {"P": text}}},
                    "Map": {},
                    "List": [],
                },
            }
        },
        "Matrix": [[1, 2], [3, [4, True, None]]],
    }


def texts(data: dict) -> tuple[str, str | None, str]:
    """cfn-flip's YAML of data's JSON, and the libyaml and Python emitters' YAML of the same."""
    json_text = to_json(data)
    loaded = json.loads(json_text)
    return cfn_flip.to_yaml(json_text), cfn_yaml.libyaml_text(loaded), cfn_yaml.python_text(loaded)


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_both_emitters_give_the_committed_yaml_of_each_template(profile):
    json_text = (PROJECT_ROOT / "templates" / f"uploadtrail-{profile}.json").read_text()
    committed = (PROJECT_ROOT / "templates" / f"uploadtrail-{profile}.yaml").read_text()
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the render falls back to the slower Python emitter"
    assert cfn_yaml.libyaml_text(json.loads(json_text)) == committed
    assert cfn_yaml.python_text(json.loads(json_text)) == committed
    assert cfn_flip.to_yaml(json_text) == committed


@pytest.mark.parametrize("text", TRICKY)
def test_libyaml_writes_what_cfn_flip_writes(text):
    flipped, libyaml, python = texts(template(text))
    assert libyaml == flipped
    assert python == flipped


@pytest.mark.parametrize("text", PYTHON_ONLY)
def test_strings_libyaml_would_write_otherwise_go_to_the_python_emitter(text):
    flipped, libyaml, python = texts(template(text))
    assert libyaml is None
    assert python == flipped
    assert cfn_yaml.to_yaml(to_json(template(text))) == flipped


@pytest.mark.parametrize("key", PYTHON_ONLY_KEYS)
def test_keys_libyaml_would_write_otherwise_go_to_the_python_emitter(key):
    flipped, libyaml, python = texts(template("x", key))
    assert libyaml is None
    assert python == flipped


def test_a_line_over_the_width_after_indenting_goes_to_the_python_emitter():
    nested = {"A": [{"B": [{"C": [{"D": ["y " * 93]}]}]}]}
    flipped, libyaml, python = texts(nested)
    assert max(map(len, cfn_yaml.dump(json.loads(to_json(nested)), cfn_yaml.LIBYAML_DUMPER).split("\n"))) <= 200
    assert libyaml is None
    assert python == flipped


def test_without_libyaml_the_python_emitter_writes_the_same(monkeypatch):
    monkeypatch.setattr(cfn_yaml, "LIBYAML_DUMPER", None)
    json_text = (PROJECT_ROOT / "templates" / "uploadtrail-dev.json").read_text()
    assert cfn_yaml.to_yaml(json_text) == (PROJECT_ROOT / "templates" / "uploadtrail-dev.yaml").read_text()


def test_sequences_under_keys_are_indented_and_sequences_in_sequences_are_left():
    written = "A:\n- x\n- - y\n  - z\n-x:\n- !If\n  - C\nB: !Sub\n- s\n- V: 1\n  W:\n  - w\nC: 1\n"
    expected = "A:\n  - x\n  - - y\n    - z\n-x:\n  - !If\n    - C\nB: !Sub\n  - s\n  - V: 1\n    W:\n      - w\nC: 1\n"
    assert cfn_yaml.indent_sequences(written) == expected
