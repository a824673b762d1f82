"""docs/aws-behaviour.md names the tests that cover each AWS behaviour: every one must exist."""

import ast
import re

from tests.conftest import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "aws-behaviour.md"


def named_tests() -> list[tuple[str, str | None]]:
    """(test file, test function or None) for every `tests/...` or `::name` reference, a bare
    `::name` belonging to the file named before it."""
    found, current = [], None
    for reference in re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)(?:\[\w+\])?`", DOC.read_text()):
        path, _, name = reference.partition("::")
        current = path or current
        found.append((current, name or None))
    return found


def test_every_test_the_document_names_exists():
    references = named_tests()
    assert len(references) > 20
    for path, name in references:
        source = PROJECT_ROOT / path
        assert source.is_file(), path
        if name:
            functions = {n.name for n in ast.walk(ast.parse(source.read_text())) if isinstance(n, ast.FunctionDef)}
            assert name in functions, f"{path}::{name}"
