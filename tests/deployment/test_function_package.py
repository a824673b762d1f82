"""The function package is reproducible and holds only the function's sources."""

import stat
import zipfile
from io import BytesIO

from deployment.function_package import FUNCTION_DIR, build_package


def test_two_builds_give_the_same_bytes_and_key():
    first, second = build_package(), build_package()
    assert first.data == second.data and first.key == second.key
    assert first.key == f"uploadtrail/function-{first.sha256}.zip"


def test_entries_are_sorted_with_fixed_times_and_permissions_and_no_caches(tmp_path):
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "a.py").write_text("a = 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.py").write_text("c = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "stray.pyc").write_bytes(b"\0")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("")
    archive = zipfile.ZipFile(BytesIO(build_package(tmp_path).data))
    assert archive.namelist() == ["function/a.py", "function/b.py", "function/sub/c.py"]
    for entry in archive.infolist():
        assert entry.date_time == (1980, 1, 1, 0, 0, 0)
        assert stat.S_IMODE(entry.external_attr >> 16) == 0o644
    assert archive.read("function/sub/c.py") == b"c = 1\n"


def test_the_real_package_holds_the_function_package_at_its_root():
    """Lambda imports the handlers as function.handler and function.bucket_cleanup."""
    names = zipfile.ZipFile(BytesIO(build_package().data)).namelist()
    sources = ("__init__.py", "handler.py", "bucket_cleanup.py", "structured_log.py")
    assert {f"function/{name}" for name in sources} <= set(names)
    assert all(not name.endswith(".pyc") for name in names)
    assert FUNCTION_DIR.name == "function"
