"""The function package is reproducible and holds the allowlisted sources and nothing else."""

import os
import stat
import zipfile
from io import BytesIO

import pytest

from deployment.function_package import FUNCTION_DIR, FUNCTION_SOURCES, PackageError, build_package


def names_in(package) -> list[str]:
    return zipfile.ZipFile(BytesIO(package.data)).namelist()


def test_two_builds_give_the_same_bytes_and_key():
    first, second = build_package(), build_package()
    assert first.data == second.data and first.key == second.key
    assert first.key == f"uploadtrail/function-{first.sha256}.zip"


def test_entries_are_sorted_with_fixed_times_and_permissions(tmp_path):
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "a.py").write_text("a = 1\n")
    os.chmod(tmp_path / "a.py", 0o755)
    archive = zipfile.ZipFile(BytesIO(build_package(tmp_path, ("b.py", "a.py")).data))
    assert archive.namelist() == ["function/a.py", "function/b.py"]
    for entry in archive.infolist():
        assert entry.date_time == (1980, 1, 1, 0, 0, 0)
        assert stat.S_IMODE(entry.external_attr >> 16) == 0o644
    assert archive.read("function/b.py") == b"b = 1\n"


def test_only_the_allowlist_ships_whatever_else_lies_in_the_folder(tmp_path):
    for name in FUNCTION_SOURCES:
        (tmp_path / name).write_text(f"# {name}\n")
    strays = [".env", ".handler.py.swp", "handler.py~", "notes.txt", "stray.pyc", "__pycache__/handler.cpython-311.pyc"]
    strays += [".venv/lib/python3.11/site-packages/evil.py", "tests/test_handler.py"]
    for stray in strays:
        (tmp_path / stray).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / stray).write_text("SECRET=1\n")
    assert names_in(build_package(tmp_path)) == [f"function/{name}" for name in sorted(FUNCTION_SOURCES)]


def test_a_missing_allowlisted_file_fails_the_build_and_names_it(tmp_path):
    (tmp_path / "handler.py").write_text("")
    with pytest.raises(PackageError, match="allowlist names bucket_cleanup.py, missing from"):
        build_package(tmp_path, ("handler.py", "bucket_cleanup.py"))


def test_the_allowlist_names_every_module_of_the_function_package():
    """A new module in function/ must be added to the allowlist, or Lambda would not have it."""
    assert sorted(path.name for path in FUNCTION_DIR.glob("*.py")) == sorted(FUNCTION_SOURCES)


def test_the_real_package_holds_the_function_package_at_its_root():
    """Lambda imports the handlers as function.handler and function.bucket_cleanup."""
    names = zipfile.ZipFile(BytesIO(build_package().data)).namelist()
    sources = ("__init__.py", "handler.py", "bucket_cleanup.py", "structured_log.py")
    assert {f"function/{name}" for name in sources} <= set(names)
    assert all(not name.endswith(".pyc") for name in names)
    assert FUNCTION_DIR.name == "function"
