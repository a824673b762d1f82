"""Shared timing helpers: wall time and peak memory of fresh processes, summarised as median and spread."""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = Path(__file__).resolve().with_name("launcher.py")
# The project's own packages: an editable install leaves them uncompiled until a first run.
PROJECT_PACKAGES = ("generator", "deployment", "localcloud", "function", "templategraph")


def compile_project() -> None:
    """Write the project's bytecode once, as Python's first run does (unless PYTHONDONTWRITEBYTECODE
    is set), so that every timed process reads it as it reads the installed packages' (compiled at
    install), instead of compiling from source each time."""
    for package in PROJECT_PACKAGES:
        compileall.compile_dir(PROJECT_ROOT / package, quiet=1)


def summary(samples: list[float]) -> dict:
    """Median, p90, min and max of samples, in the samples' unit."""
    ordered = sorted(samples)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))],
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
    }


def measured_run(args: list[str], cwd: Path = PROJECT_ROOT, env: dict | None = None) -> tuple[float, int]:
    """Wall-clock seconds and peak memory (max RSS in bytes of the largest process: the kernel
    counts the command's own children too) of one command, started by benchmarks/launcher.py;
    RuntimeError with the command's stderr if it fails."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report"
        launcher = [sys.executable, "-S", str(LAUNCHER), str(report)]
        result = subprocess.run(launcher + args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if result.returncode != 0:
            stderr = result.stderr.decode(errors="replace")
            raise RuntimeError(f"{' '.join(args)} exited with {result.returncode}:\n{stderr[-2000:]}")
        seconds, peak = report.read_text().split()
    return float(seconds), int(peak)


def python_run(code: str) -> tuple[float, int]:
    """measured_run of `python -c code` in a fresh interpreter, run from the project root."""
    return measured_run([sys.executable, "-c", code])


def run_summary(runs: list[tuple[float, int]]) -> dict:
    """summary of measured runs' wall times in milliseconds, with their median peak memory in MiB."""
    return {
        **summary([seconds * 1000 for seconds, _ in runs]),
        "max_rss_mib": statistics.median(peak for _, peak in runs) / 2**20,
    }


def interleaved(codes: dict[str, str | list[str]], repeats: int) -> dict[str, dict]:
    """Run each snippet (or command, given as a list) `repeats` times, alternating between them so
    that machine noise falls on all alike; name to run_summary."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in codes}
    for _ in range(repeats):
        for name, code in codes.items():
            runs[name].append(python_run(code) if isinstance(code, str) else measured_run(code))
    return {name: run_summary(samples) for name, samples in runs.items()}
