"""Contract of localcloud/cloudformation/template_parsing.py: plain moto reads each body as the
local cloud reads it (JSON and YAML with short-form tags alike, the project's own templates too),
and fails on a malformed one with the same error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml.reader
from moto.cloudformation.models import Stack

from localcloud.cloudformation import template_parsing
from tests.localcloud.cloudformation.test_template_parsing import LONG_FORM, MALFORMED, SHORT_FORM

TEMPLATES = Path(__file__).parents[3] / "templates"


@pytest.mark.parametrize(
    "body", [SHORT_FORM, json.dumps(LONG_FORM), json.dumps(LONG_FORM, indent=2), '{"a": NaN}', '{"Resources": }']
)
def test_a_body_is_read_as_moto_read_it(body):
    assert template_parsing.parsed(body) == Stack.parse_template(body)


@pytest.mark.parametrize(
    "path", sorted([*TEMPLATES.glob("*.json"), *TEMPLATES.glob("*.yaml")]), ids=lambda path: path.name
)
def test_the_projects_templates_are_read_as_moto_read_them(path):
    body = path.read_text(encoding="utf-8")
    assert template_parsing.parsed(body) == Stack.parse_template(body)


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_body_fails_with_motos_error(body):
    with pytest.raises(json.JSONDecodeError) as moto_error:
        Stack.parse_template(body)
    with pytest.raises(json.JSONDecodeError) as error:
        template_parsing.parsed(body)
    assert str(error.value) == str(moto_error.value)


def test_a_body_with_a_control_character_fails_as_unreadable_yaml():
    with pytest.raises(yaml.reader.ReaderError):
        Stack.parse_template("\x01")
    with pytest.raises(yaml.reader.ReaderError):
        template_parsing.parsed("\x01")
