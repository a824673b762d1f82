"""The function package: a reproducible zip of the `function` package (its folder at the zip's root,
so Lambda imports function.handler as here) named by its SHA-256.

Entries sorted, timestamps fixed, permissions fixed, caches and tests left out, so that the same
sources always give the same bytes and the same key.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import function

FUNCTION_DIR = Path(function.__file__).resolve().parent
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16
LEFT_OUT_DIRS = {"__pycache__", "tests", ".pytest_cache"}
LEFT_OUT_SUFFIXES = {".pyc", ".pyo"}


@dataclass(frozen=True)
class FunctionPackage:
    """Zip bytes and the names derived from them."""

    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def key(self) -> str:
        """The artifact's key in the artifacts bucket."""
        return f"uploadtrail/function-{self.sha256}.zip"


def package_files(source: Path) -> list[Path]:
    """The files that go into the package, sorted by their path inside it."""
    files = [
        path
        for path in source.rglob("*")
        if path.is_file()
        and not LEFT_OUT_DIRS.intersection(path.relative_to(source).parts)
        and path.suffix not in LEFT_OUT_SUFFIXES
    ]
    return sorted(files, key=lambda path: path.relative_to(source).as_posix())


def build_package(source: Path = FUNCTION_DIR) -> FunctionPackage:
    """Zip source reproducibly."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(source):
            entry = zipfile.ZipInfo(f"{FUNCTION_DIR.name}/{path.relative_to(source).as_posix()}", date_time=FIXED_TIME)
            entry.external_attr = FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return FunctionPackage(buffer.getvalue())
