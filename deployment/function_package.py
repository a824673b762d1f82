"""The function package: a reproducible zip of the `function` package's sources (its folder at the
zip's root, so Lambda imports function.handler as here) named by its SHA-256.

Only the files on the allowlist go in, whatever else lies in the folder (a .env, an editor's swap
file, a virtualenv); entries sorted, timestamps and permissions fixed, so that the same sources
always give the same bytes and the same key, from an editable install or not.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Found without importing it: the deploy tool only packages what runs in Lambda.
FUNCTION_DIR = Path(importlib.util.find_spec("function").origin).resolve().parent
# Every module of the function package, and nothing else: Lambda needs no other file.
FUNCTION_SOURCES = ("__init__.py", "bucket_cleanup.py", "handler.py", "structured_log.py")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16


class PackageError(Exception):
    """The function package cannot be built as the allowlist says."""


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


def build_package(source: Path = FUNCTION_DIR, sources: tuple[str, ...] = FUNCTION_SOURCES) -> FunctionPackage:
    """Zip the allowlisted files of source reproducibly; PackageError naming any that is missing."""
    missing = [name for name in sources if not (source / name).is_file()]
    if missing:
        raise PackageError(
            f"the function package's allowlist names {', '.join(missing)}, missing from {source}: "
            "restore the file or remove it from FUNCTION_SOURCES in deployment/function_package.py"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(sources):
            entry = zipfile.ZipInfo(f"{FUNCTION_DIR.name}/{name}", date_time=FIXED_TIME)
            entry.external_attr = FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (source / name).read_bytes())
    return FunctionPackage(buffer.getvalue())
