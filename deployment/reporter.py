"""The reporter: the one writer of what the user reads (lines on stdout, errors on stderr, stack
events, questions on the terminal), made by the command line and passed down; it also keeps the
phase the run is in, for the message an interruption ends with."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from deployment.messages import PHASE_STARTS, SLOW_CALL, Situation, Wording
from deployment.phases import Phase
from deployment.progress import event_line

# Columns when the output is no terminal and COLUMNS is not set.
FALLBACK_COLUMNS = 120


class Reporter:
    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, stdin: TextIO | None = None):
        self.streams = (out, err, stdin)
        self.phase = Phase.CHECKING

    def stream(self, index: int, default: TextIO) -> TextIO:
        """The stream given, else the process's own at the time of the call."""
        given = self.streams[index]
        return default if given is None else given

    @property
    def out(self) -> TextIO:
        return self.stream(0, sys.stdout)

    @property
    def err(self) -> TextIO:
        return self.stream(1, sys.stderr)

    @property
    def stdin(self) -> TextIO:
        return self.stream(2, sys.stdin)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        print(text, file=self.err, flush=True)

    def width(self) -> int:
        """The terminal's columns (COLUMNS when set), for tables that would run wider."""
        return shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns

    def enter(self, phase: Phase, stack_name: str, status: str | None = None) -> None:
        """The run is now in phase; a phase that starts something the user should know of says so."""
        self.phase = phase
        if phase in PHASE_STARTS:
            self.say(PHASE_STARTS[phase].format(name=stack_name, status=status))

    def stack_event(self, stack_name: str, done: int, total: int, elapsed: float, event: dict) -> None:
        self.say(event_line(stack_name, done, total, elapsed, event))

    def slow_call(self, where: str, operation: str, seconds: float) -> None:
        self.error(SLOW_CALL.format(where=where, operation=operation, seconds=seconds))

    def ended(self, wording: Wording, error: BaseException, at: Situation) -> int:
        """Write how the run ended, as the message table words it; its exit code."""
        words = wording.words(error, at)
        if wording.exit_code:
            self.error(f"{wording.prefix}{words}")
        else:
            self.say(words)
        return wording.exit_code

    def ask(self, question: str) -> bool | None:
        """True for yes, False for anything else (also Ctrl-C or end of input at the prompt), None
        when there is no terminal to ask on."""
        if not self.stdin.isatty():
            return None
        self.out.write(f"{question} [y/N] ")
        self.out.flush()
        try:
            answer = self.stdin.readline()
        except KeyboardInterrupt:
            answer = ""
        if not answer.endswith("\n"):
            self.say("")
        return answer.strip().lower() in {"y", "yes"}
