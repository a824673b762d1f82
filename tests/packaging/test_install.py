"""A non-editable install works on its own: the wheel, installed with its `local` extra into a fresh
virtualenv, runs the console command `uploadtrail-deploy --local` from an unrelated folder, and
builds the same function package, byte for byte, as this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from deployment.function_package import build_packages
from tests.conftest import PROJECT_ROOT

# Build from a copy, so that setuptools' build/ and egg-info never race a second test run here.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*cache")


def run(command: list, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run outside this checkout's environment: no PYTHONPATH, no virtualenv of ours."""
    environment = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtualenv holding the wheel built from this checkout."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", source], work, 600)
    (wheel,) = (work / "dist").glob("uploadtrail-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    run([bin_dir / "python", "-m", "pip", "install", "--quiet", f"{wheel}[local]"], work, 900)
    return bin_dir


def test_the_console_command_deploys_locally_from_another_folder(installed, tmp_path):
    result = run([installed / "uploadtrail-deploy", "--local"], tmp_path, 300)
    assert "CREATE_COMPLETE | AWS::CloudFormation::Stack | uploadtrail-dev" in result.stdout
    assert '"objectKey": "samples/hello uploadtrail.txt"' in result.stdout
    assert not list(tmp_path.iterdir()), "the command left files in the folder it ran from"


def test_the_installed_function_packages_are_byte_identical_to_the_checkouts(installed, tmp_path):
    code = "from deployment.function_package import build_packages; print([p.key for p in build_packages().values()])"
    result = run([installed / "python", "-c", code], tmp_path, 60)
    assert result.stdout.strip() == str([package.key for package in build_packages().values()])


def test_the_installed_packages_come_from_the_wheel_not_this_checkout(installed, tmp_path):
    code = "import deployment, localcloud, generator, function, templategraph; print(function.__file__)"
    location = Path(run([installed / "python", "-c", code], tmp_path, 60).stdout.strip())
    assert "site-packages" in location.parts and PROJECT_ROOT not in location.parents


def test_the_installed_uploadtrail_command_has_its_sub_commands(installed, tmp_path):
    result = run([installed / "uploadtrail", "--help"], tmp_path, 60)
    assert result.stdout.startswith("usage: uploadtrail ")
    assert all(command in result.stdout for command in ["deploy", "diff", "destroy", "localcloud"])
