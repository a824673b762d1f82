"""Stable text forms of a template: sorted JSON, its YAML twin, and the files they go to."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cfn_yaml import to_yaml
from generator.config import PROFILES
from generator.diagram import mermaid_diagram
from generator.template import build_template

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = "templates"
README = "README.md"
DIAGRAM_START = "<!-- generator: dev diagram start -->"
DIAGRAM_END = "<!-- generator: dev diagram end -->"


def to_json(template: dict) -> str:
    """Sorted, indented JSON with a final newline: the same dict always gives the same bytes."""
    return json.dumps(template, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def template_file_stem(profile_name: str) -> str:
    return f"uploadtrail-{profile_name}"


def readme_with_diagram(readme: str, diagram: str) -> str:
    """readme with the text between the diagram markers replaced by a Mermaid block."""
    try:
        head, rest = readme.split(DIAGRAM_START, 1)
        _, tail = rest.split(DIAGRAM_END, 1)
    except ValueError:
        raise ValueError(
            f"{README} must hold the markers {DIAGRAM_START!r} and {DIAGRAM_END!r}, in this "
            "order, where the dev diagram goes"
        ) from None
    return f"{head}{DIAGRAM_START}\n```mermaid\n{diagram}```\n{DIAGRAM_END}{tail}"


def rendered_files(root: Path = PROJECT_ROOT) -> dict[Path, str]:
    """Every generated file under root, path to text: each profile's JSON, YAML and Mermaid
    diagram in templates/, and the README with the dev diagram."""
    files: dict[Path, str] = {}
    for profile in PROFILES.values():
        template = build_template(profile).to_dict()
        json_text = to_json(template)
        stem = root / TEMPLATES_DIR / template_file_stem(profile.name)
        files[stem.with_suffix(".json")] = json_text
        files[stem.with_suffix(".yaml")] = to_yaml(json_text)
        diagram = mermaid_diagram(template)
        files[stem.with_suffix(".mmd")] = diagram
        if profile.name == "dev":
            readme = root / README
            files[readme] = readme_with_diagram(readme.read_text(encoding="utf-8"), diagram)
    return files
