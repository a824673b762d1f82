"""The README's commands hold for a newcomer (issue 20 item 1): the quick start says once how to
run the later commands (the virtualenv), every later command is written for it, and every
`uploadtrail` and deploy.py example parses with the command's own options."""

from __future__ import annotations

import re
import shlex

import pytest

from deployment import cli as deploy
from deployment.commands.main import build_parser
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
FENCED = re.compile(r"```(\w*)\n(.*?)```", re.S)
QUICK_START_END = FENCED.search(README).end()
LATER = README[QUICK_START_END:]


def example_lines() -> list[str]:
    """Each command of the later shell blocks, without its comment."""
    return [
        line.split(" #", 1)[0].strip()
        for match in FENCED.finditer(LATER)
        if match.group(1) == "sh"
        for line in match.group(2).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_quick_start_says_right_after_its_commands_how_to_run_the_later_ones():
    first_paragraph = LATER.strip().split("\n\n", 1)[0]
    assert "`. .venv/bin/activate`" in first_paragraph and "`.venv/bin/python`" in first_paragraph


def test_every_later_command_is_written_for_the_activated_virtualenv():
    after_the_note = LATER.strip().split("\n\n", 1)[1]
    assert "python3 " not in after_the_note and ".venv/bin/" not in after_the_note


@pytest.mark.parametrize("line", example_lines())
def test_every_example_parses_with_the_commands_options(line):
    words = shlex.split(line.replace("[", "").replace("]", ""))
    if words[0] == "uploadtrail":
        build_parser().parse_known_args(words[1:])
    else:
        assert words[:2] == ["python", "scripts/deploy.py"]
        deploy.parse_arguments(words[2:])


def test_the_examples_show_every_stack_sub_command():
    assert {line.split()[1] for line in example_lines()} >= {
        "deploy",
        "diff",
        "destroy",
        "status",
        "logs",
        "history",
        "redrive",
        "localcloud",
    }
