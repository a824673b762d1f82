"""Shared timing helpers: wall time of fresh Python processes, summarised as median and spread."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def process_seconds(code: str) -> float:
    """Wall-clock seconds of `python -c code` in a fresh interpreter, run from the project root."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved(codes: dict[str, str], repeats: int) -> dict[str, dict]:
    """Time each snippet `repeats` times, alternating between them so that machine noise falls on
    all alike; name to summary in milliseconds."""
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(repeats):
        for name, code in codes.items():
            samples[name].append(process_seconds(code) * 1000)
    return {name: summary(values) for name, values in samples.items()}
