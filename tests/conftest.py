"""Fixtures shared by every suite: the project root, and the templates rendered in memory."""

from pathlib import Path

import pytest

from generator.config import PROFILES
from generator.template import build_template

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rendered() -> dict[str, dict]:
    """Profile name to its template as a dict, rendered once per session."""
    return {name: build_template(profile).to_dict() for name, profile in PROFILES.items()}


@pytest.fixture(scope="session")
def dev(rendered) -> dict:
    return rendered["dev"]


@pytest.fixture(scope="session")
def prod(rendered) -> dict:
    return rendered["prod"]
