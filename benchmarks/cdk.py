"""`cdk synth` of the same stack (benchmarks/cdk/app.js) against our render, both as fresh
processes. Needs Node.js and npm; installs aws-cdk-lib, constructs and the aws-cdk CLI into a
cache folder outside the repository. Goal: our render at least 20x faster.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.render import CODES
from benchmarks.timing import PROJECT_ROOT, process_seconds, summary

GOAL_RATIO = 20.0
PACKAGES = ["aws-cdk-lib@2.276.0", "constructs@10.8.1", "aws-cdk@2.1148.1"]
CACHE = Path(os.environ.get("UPLOADTRAIL_CDK_CACHE", Path.home() / ".cache" / "uploadtrail-cdk"))
APP = PROJECT_ROOT / "benchmarks" / "cdk" / "app.js"
ENVIRONMENT = {**os.environ, "CDK_DISABLE_VERSION_CHECK": "1", "CDK_DISABLE_CLI_TELEMETRY": "true"}
DIFFERENCES = (
    "CDK adds two custom resources (bucket auto-delete and bucket notifications, each with a "
    "Node.js provider function and role) and its asset metadata; ours has one Python cleanup "
    "custom resource and sets the notification on the bucket directly."
)


def install() -> Path:
    """The cache folder with the pinned CDK packages installed."""
    if shutil.which("npm") is None:
        raise RuntimeError("--with-cdk needs Node.js and npm on the PATH")
    marker = CACHE / ("installed-" + "_".join(PACKAGES).replace("/", "-"))
    if not marker.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "package.json").write_text('{"name": "uploadtrail-cdk-bench", "private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", *PACKAGES], cwd=CACHE, check=True)
        marker.write_text("")
    return CACHE


def synth_seconds(cache: Path, output: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(cache / "node_modules" / ".bin" / "cdk"),
            "synth",
            "--app",
            f"node {APP}",
            "--output",
            str(output),
            "--quiet",
            "--no-notices",
            "--no-version-reporting",
        ],
        cwd=cache,
        env={**ENVIRONMENT, "NODE_PATH": str(cache / "node_modules")},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"cdk synth failed:\n{result.stderr[-2000:]}")
    return elapsed


def measure(repeats: int = 5) -> dict:
    cache = install()
    cdk_samples, our_samples = [], []
    with tempfile.TemporaryDirectory() as output:
        for _ in range(repeats):
            cdk_samples.append(synth_seconds(cache, Path(output)) * 1000)
            our_samples.append(process_seconds(CODES["render every template"]) * 1000)
    cdk, ours = summary(cdk_samples), summary(our_samples)
    ratio = cdk["median"] / ours["median"]
    return {
        "cdk synth": cdk,
        "render every template": ours,
        "ratio": ratio,
        "goal": GOAL_RATIO,
        "met": ratio >= GOAL_RATIO,
        "differences": DIFFERENCES,
    }
