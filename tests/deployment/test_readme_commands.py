"""The README's commands hold for a newcomer (issue 20): the quick start says once how to run the
later commands (the virtualenv), every later command is written for it, every `uploadtrail` and
deploy.py example parses with the command's own options, and the ones safe to run run as written.

Which fenced `sh` commands run (RUN_RULE, in code below): the deploy tool's stack sub-commands
(`uploadtrail deploy|diff|destroy|history|status|logs|redrive`, `python scripts/deploy.py`), in the README's order,
through bash, from a fresh folder, in the activated virtualenv's PATH, against one local cloud
started for this module: its endpoint and test credentials in the environment (`AWS_ENDPOINT_URL`,
`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`), and `--endpoint
http://localhost:4566` (where `uploadtrail localcloud --port 4566` serves) pointed at it instead;
`--local` starts its own. Each must exit 0. Never run: the set-up and the test suite (install
commands, `bash scripts/test.sh`), servers that run until Ctrl-C (`uploadtrail localcloud`), and
commands for a real account (`--profile`, credentials the machine does not have). A line the rule
does not place fails the test, so a new README command gets a decision.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from deployment import cli as deploy
from deployment.commands.main import build_parser
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
FENCED = re.compile(r"```(\w*)\n(.*?)```", re.S)
QUICK_START_END = FENCED.search(README).end()
LATER = README[QUICK_START_END:]


STACK_COMMANDS = ("deploy", "diff", "destroy", "history", "status", "logs", "redrive")
# The endpoint the README's `--endpoint` examples name: `uploadtrail localcloud --port 4566` serves there.
README_ENDPOINT = "http://localhost:4566"
# Why a command is not run, by its leading words; anything else must be a stack command.
NEVER_RUN = {
    ("python3", "-m", "venv"): "installs the project",
    ("bash", "scripts/test.sh"): "is the test suite itself",
    ("uploadtrail", "localcloud"): "serves until Ctrl-C",
}


def commands(text: str) -> list[str]:
    """Each command of text's fenced shell blocks, without its comment."""
    return [
        line.split(" #", 1)[0].strip()
        for match in FENCED.finditer(text)
        if match.group(1) == "sh"
        for line in match.group(2).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def example_lines() -> list[str]:
    """Each command of the later shell blocks."""
    return commands(LATER)


def not_run_because(command: str) -> str | None:
    """RUN_RULE: why a README command is not run here, or None when it is (a stack command of the
    deploy tool for the local cloud)."""
    words = shlex.split(command)
    for start, reason in NEVER_RUN.items():
        if tuple(words[: len(start)]) == start:
            return reason
    if "--profile" in words:
        return "uses a real account's credentials profile"
    tool = words[:1] == ["uploadtrail"] or words[:2] == ["python", "scripts/deploy.py"]
    sub_command = words[1] if words[:1] == ["uploadtrail"] else "deploy"
    if tool and sub_command in STACK_COMMANDS:
        return None
    raise AssertionError(f"the README command {command!r} has no rule: run it here, or say in NEVER_RUN why not")


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


@pytest.fixture(scope="module")
def local_cloud():
    with localcloud.running() as endpoint:
        yield endpoint


def shell_environment(endpoint: str) -> dict[str, str]:
    """A shell with the virtualenv activated and the local cloud as its AWS."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    bin_folder = os.path.dirname(sys.executable)
    return environment | {
        "VIRTUAL_ENV": os.path.dirname(bin_folder),
        "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": LOCAL_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": LOCAL_CREDENTIALS["aws_secret_access_key"],
        "AWS_REGION": "us-east-1",
    }


def test_every_readme_command_is_run_or_has_a_reason_not_to_be():
    reasons = {command: not_run_because(command) for command in commands(README)}
    assert [command for command, reason in reasons.items() if reason is None], "no README command would run"
    assert set(reasons.values()) - {None} == {*NEVER_RUN.values(), "uses a real account's credentials profile"}


def test_the_readme_commands_safe_to_run_run_as_written_against_the_local_cloud(local_cloud, tmp_path):
    environment = shell_environment(str(local_cloud))
    failed = []
    for command in [line for line in commands(README) if not_run_because(line) is None]:
        ran = subprocess.run(
            ["bash", "-c", command.replace(README_ENDPOINT, str(local_cloud))],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if ran.returncode != 0:
            failed.append(f"$ {command}\nexit {ran.returncode}\n{ran.stdout[-2000:]}{ran.stderr[-2000:]}")
    assert failed == [], "\n\n".join(failed)
