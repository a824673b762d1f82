"""CloudFormation reads a JSON template as JSON, any other as YAML with the short-form tags; moto
reads each with PyYAML's pure-Python loader (about 50 ms for this stack's), then as JSON. The local
cloud reads JSON with json and YAML with libyaml; a body that is neither fails as with moto. (Where
YAML 1.1 reads a JSON body otherwise, 1e5 as text, the JSON reading is CloudFormation's.)"""

from __future__ import annotations

import json
from typing import Any

import yaml
from moto.cloudformation.models import ChangeSet
from moto.cloudformation.utils import yaml_tag_constructor
from yaml.parser import ParserError
from yaml.scanner import ScannerError


class TemplateLoader(getattr(yaml, "CLoader", yaml.Loader)):  # type: ignore[misc]
    """moto's loader (PyYAML's full Constructor and Resolver with moto's short-form tags) on
    libyaml's parser when PyYAML was built with it, else on PyYAML's own."""


TemplateLoader.add_multi_constructor("", yaml_tag_constructor)


def refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def parsed(template: str) -> Any:
    """The template's body as CloudFormation reads it: JSON if it is strict JSON, else YAML; a body
    that is neither is read as moto's fallback read it (json.loads, raising its error)."""
    try:
        return json.loads(template, parse_constant=refuse_constant)
    except ValueError:
        pass
    try:
        return yaml.load(template, Loader=TemplateLoader)
    except (ParserError, ScannerError):
        return json.loads(template)


def parse_template(cloud, original, template: str) -> Any:
    """Stack.parse_template: the stack's template (and one it is compared with) read once."""
    return parsed(template)


def parse_change_set_template(cloud, original, change_set: ChangeSet) -> None:
    """ChangeSet._parse_template: the change set's template read into its template_dict."""
    change_set.template_dict = parsed(change_set.template)
