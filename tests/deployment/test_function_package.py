"""Each function's package is reproducible and holds its allowlisted sources and nothing else."""

import os
import stat
import zipfile
from io import BytesIO

import pytest

from deployment.function_package import FUNCTION_DIR, FUNCTION_PACKAGES, PackageError, build_package, build_packages
from generator.function import CLEANUP_CODE_KEY, CODE_KEYS, LOGGER_CODE_KEY

ALL_SOURCES = sorted({name for _, sources in FUNCTION_PACKAGES.values() for name in sources})


def names_in(package) -> list[str]:
    return zipfile.ZipFile(BytesIO(package.data)).namelist()


def test_two_builds_give_the_same_bytes_and_keys():
    first, second = build_packages(), build_packages()
    assert first == second
    assert first[LOGGER_CODE_KEY].key == f"uploadtrail/invocation-logger-{first[LOGGER_CODE_KEY].sha256}.zip"
    assert first[CLEANUP_CODE_KEY].key == f"uploadtrail/bucket-cleanup-{first[CLEANUP_CODE_KEY].sha256}.zip"


def test_entries_are_sorted_with_fixed_times_and_permissions(tmp_path):
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "a.py").write_text("a = 1\n")
    os.chmod(tmp_path / "a.py", 0o755)
    archive = zipfile.ZipFile(BytesIO(build_package("f", ("b.py", "a.py"), tmp_path).data))
    assert archive.namelist() == ["function/a.py", "function/b.py"]
    for entry in archive.infolist():
        assert entry.date_time == (1980, 1, 1, 0, 0, 0)
        assert stat.S_IMODE(entry.external_attr >> 16) == 0o644
    assert archive.read("function/b.py") == b"b = 1\n"


def test_only_the_allowlist_ships_whatever_else_lies_in_the_folder(tmp_path):
    for name in ALL_SOURCES:
        (tmp_path / name).write_text(f"# {name}\n")
    strays = [".env", ".handler.py.swp", "handler.py~", "notes.txt", "stray.pyc", "__pycache__/handler.cpython-311.pyc"]
    strays += [".venv/lib/python3.11/site-packages/evil.py", "tests/test_handler.py"]
    for stray in strays:
        (tmp_path / stray).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / stray).write_text("SECRET=1\n")
    packages = build_packages(tmp_path)
    logger = ["function/__init__.py", "function/handler.py", "function/structured_log.py"]
    assert names_in(packages[LOGGER_CODE_KEY]) == logger
    assert names_in(packages[CLEANUP_CODE_KEY]) == [
        "function/__init__.py",
        "function/bucket_cleanup.py",
        "function/structured_log.py",
    ]


@pytest.mark.parametrize(
    ("changed", "kept"), [("handler.py", CLEANUP_CODE_KEY), ("bucket_cleanup.py", LOGGER_CODE_KEY)]
)
def test_a_change_to_one_functions_code_leaves_the_others_package_alone(tmp_path, changed, kept):
    for name in ALL_SOURCES:
        (tmp_path / name).write_text(f"# {name}\n")
    before = build_packages(tmp_path)
    (tmp_path / changed).write_text("# changed\n")
    after = build_packages(tmp_path)
    assert after[kept] == before[kept]
    assert [key for key in after if after[key] != before[key]] == [key for key in CODE_KEYS if key != kept]


def test_a_missing_allowlisted_file_fails_the_build_and_names_it(tmp_path):
    (tmp_path / "handler.py").write_text("")
    with pytest.raises(PackageError, match="allowlist names bucket_cleanup.py, missing from"):
        build_package("f", ("handler.py", "bucket_cleanup.py"), tmp_path)


def test_every_module_of_the_function_package_is_in_some_package():
    """A new module in function/ must be added to an allowlist, or Lambda would not have it."""
    assert sorted(path.name for path in FUNCTION_DIR.glob("*.py")) == ALL_SOURCES


def test_there_is_one_package_per_code_key_parameter_of_the_template():
    assert set(FUNCTION_PACKAGES) == set(CODE_KEYS)


def test_each_functions_package_holds_what_its_handler_imports():
    """Lambda imports the handlers as function.handler and function.bucket_cleanup, each with the
    structured log module; neither package carries the other's handler."""
    packages = build_packages()
    logger, cleanup = set(names_in(packages[LOGGER_CODE_KEY])), set(names_in(packages[CLEANUP_CODE_KEY]))
    assert {"function/__init__.py", "function/handler.py", "function/structured_log.py"} == logger
    assert {"function/__init__.py", "function/bucket_cleanup.py", "function/structured_log.py"} == cleanup
    assert FUNCTION_DIR.name == "function"
