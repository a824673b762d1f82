"""The reporter as a user meets it: questions on a terminal (nobody to ask, Ctrl-C or end of input
mean no), tables and security diffs wrapped to the terminal's width, notices of slow calls."""

from __future__ import annotations

import io

import pytest

from deployment.progress import table
from deployment.reporter import Reporter
from deployment.security_diff import describe_security_diff
from tests.deployment.conftest import Lines


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Interrupted(Terminal):
    def readline(self, *args):
        raise KeyboardInterrupt


@pytest.mark.parametrize("typed, answer", [("y\n", True), ("YES \n", True), ("n\n", False), ("\n", False)])
def test_a_terminal_is_asked(typed, answer):
    out = Lines()
    assert Reporter(out=out, stdin=Terminal(typed)).ask("Go?") is answer
    assert out.partial == "Go? [y/N] "  # the terminal echoes the newline typed


@pytest.mark.parametrize("stdin", [Terminal(""), Interrupted()])
def test_ctrl_c_or_end_of_input_at_the_prompt_is_a_no_on_its_own_line(stdin):
    out = Lines()
    assert Reporter(out=out, stdin=stdin).ask("Go?") is False
    assert out == ["Go? [y/N] "]


def test_nobody_to_ask_is_none():
    assert Reporter(out=Lines(), stdin=io.StringIO("y\n")).ask("Go?") is None


def test_a_table_wider_than_the_width_wraps_its_widest_cells_and_keeps_every_word():
    arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + "x" * 150
    text = table(["", "Resource", "Action"], [["+", arn, "dynamodb:PutItem"]], width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "".join(text.split()).count("x" * 150) == 1 and "dynamodb:PutItem" in text


def test_a_table_that_fits_is_laid_out_as_before():
    assert table(["A", "B"], [["one", "two"]], width=200) == "A    B\n---  ---\none  two"


def test_security_diff_lines_fit_the_terminal(monkeypatch):
    """Issue 20 item 14: lines of 429 characters before."""
    from generator.config import PROFILES
    from generator.template import build_template

    monkeypatch.setenv("COLUMNS", "100")
    reporter = Reporter(out=Lines())
    diff = describe_security_diff({}, build_template(PROFILES["prod"]).to_dict(), reporter.width())
    assert reporter.width() == 100
    assert max(len(line) for line in diff.splitlines()) <= 100
    assert "kms:Decrypt" in diff


def test_an_error_goes_to_the_error_stream():
    out, err = Lines(), Lines()
    Reporter(out=out, err=err).error("error: x")
    assert out == [] and err == ["error: x"]
