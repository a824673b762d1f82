"""`cdk synth` of the same stack (benchmarks/cdk/app.js) against our render, both as fresh
processes. Needs Node.js and npm; installs aws-cdk-lib, constructs and the aws-cdk CLI into a
cache folder outside the repository. Goal: our render at least 20x faster.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.render import CODES
from benchmarks.timing import PROJECT_ROOT, measured_run, python_run, run_summary

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


def synth_run(cache: Path, output: Path) -> tuple[float, int]:
    """measured_run of `cdk synth` (its peak memory is the larger of the CLI and the app it runs)."""
    command = [str(cache / "node_modules" / ".bin" / "cdk"), "synth", "--app", f"node {APP}", "--output", str(output)]
    options = ["--quiet", "--no-notices", "--no-version-reporting"]
    return measured_run(command + options, cwd=cache, env={**ENVIRONMENT, "NODE_PATH": str(cache / "node_modules")})


def measure(repeats: int = 5) -> dict:
    cache = install()
    runs: dict[str, list[tuple[float, int]]] = {"cdk synth": [], "render every template": []}
    with tempfile.TemporaryDirectory() as output:
        for _ in range(repeats):
            runs["cdk synth"].append(synth_run(cache, Path(output)))
            runs["render every template"].append(python_run(CODES["render every template"]))
    cdk, ours = (run_summary(runs[name]) for name in runs)
    ratio = cdk["median"] / ours["median"]
    return {
        "cdk synth": cdk,
        "render every template": ours,
        "ratio": ratio,
        "goal": GOAL_RATIO,
        "met": ratio >= GOAL_RATIO,
        "differences": DIFFERENCES,
    }
