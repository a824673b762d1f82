"""cfn-lint (its Python API) and checkov find nothing in any committed template."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cfnlint.api import lint_all

from tests.conftest import PROJECT_ROOT

TEMPLATE_FILES = sorted((PROJECT_ROOT / "templates").glob("uploadtrail-*.[jy]*"))


def test_every_profile_has_both_forms():
    assert [p.name for p in TEMPLATE_FILES] == [
        "uploadtrail-dev.json",
        "uploadtrail-dev.yaml",
        "uploadtrail-prod.json",
        "uploadtrail-prod.yaml",
    ]


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_cfn_lint_reports_nothing(path):
    matches = lint_all(path.read_text())
    assert [str(m) for m in matches] == []


def test_cfn_lint_is_not_blind():
    broken = json.loads(TEMPLATE_FILES[0].read_text())
    broken["Resources"]["InvocationLoggerFunction"]["Properties"]["Runtime"] = "python3.8"
    assert any("python3.8" in str(m) for m in lint_all(json.dumps(broken)))


def checkov_command() -> str:
    command = os.environ.get("UPLOADTRAIL_CHECKOV") or shutil.which("checkov")
    if not command:
        pytest.fail(
            "checkov not found: run `bash scripts/test.sh`, which installs it into .venv-checkov, "
            "or point UPLOADTRAIL_CHECKOV at a checkov executable"
        )
    return command


def run_checkov(paths: list[Path]) -> dict:
    arguments = [checkov_command(), "--framework", "cloudformation", "--output", "json"]
    arguments += ["--skip-download"]
    for path in paths:
        arguments += ["--file", str(path)]
    completed = subprocess.run(
        arguments,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    assert completed.stdout.startswith("{"), completed.stderr[-2000:]
    return json.loads(completed.stdout)


def declared_skips(paths: list[Path]) -> set[tuple[str, str, str]]:
    """(check id, logical id, file name) of every skip written in the templates' Metadata."""
    declared = set()
    for path in paths:
        for name, resource in json.loads(path.read_text())["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                declared.add((skip["id"], name, path.name))
    return declared


def test_checkov_reports_no_failed_check_and_every_skip_is_used():
    paths = [p for p in TEMPLATE_FILES if p.suffix == ".json"]
    report = run_checkov(paths)
    results = report["results"]
    failed = [(c["check_id"], c["resource"], c["file_path"]) for c in results["failed_checks"]]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    assert len(results["passed_checks"]) > 50
    skipped = {
        (c["check_id"], c["resource"].split(".")[-1], Path(c["file_path"]).name) for c in results["skipped_checks"]
    }
    assert skipped == declared_skips(paths)  # no skip that names a check which never ran
    for check in results["skipped_checks"]:
        assert len(check["check_result"]["suppress_comment"]) > 20
