"""The function packages: one reproducible zip per function of the `function` package's sources it
needs (the folder at the zip's root, so Lambda imports function.handler as here), named by its
SHA-256, so that a change to one function's code leaves the other function alone.

Only the files on a function's allowlist go in, whatever else lies in the folder (a .env, an editor's swap
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

from generator.function import CLEANUP_CODE_KEY, LOGGER_CODE_KEY

# Found without importing it: the deploy tool only packages what runs in Lambda.
FUNCTION_DIR = Path(importlib.util.find_spec("function").origin).resolve().parent
# Each function's package (by the template parameter that takes its key): its name in the key, and
# the modules it imports, and nothing else: Lambda needs no other file.
FUNCTION_PACKAGES = {
    LOGGER_CODE_KEY: ("invocation-logger", ("__init__.py", "handler.py", "structured_log.py")),
    CLEANUP_CODE_KEY: ("bucket-cleanup", ("__init__.py", "bucket_cleanup.py", "structured_log.py")),
}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16


class PackageError(Exception):
    """The function package cannot be built as the allowlist says."""


@dataclass(frozen=True)
class FunctionPackage:
    """Zip bytes of the function `name` and the names derived from them."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def key(self) -> str:
        """The artifact's key in the artifacts bucket."""
        return f"uploadtrail/{self.name}-{self.sha256}.zip"


def build_package(name: str, sources: tuple[str, ...], source: Path = FUNCTION_DIR) -> FunctionPackage:
    """Zip the allowlisted files of source reproducibly as the package of function `name`;
    PackageError naming any that is missing."""
    missing = [file for file in sources if not (source / file).is_file()]
    if missing:
        raise PackageError(
            f"the function package's allowlist names {', '.join(missing)}, missing from {source}: "
            "restore the file or remove it from FUNCTION_PACKAGES in deployment/function_package.py"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(sources):
            entry = zipfile.ZipInfo(f"{FUNCTION_DIR.name}/{file}", date_time=FIXED_TIME)
            entry.external_attr = FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (source / file).read_bytes())
    return FunctionPackage(name, buffer.getvalue())


def build_packages(source: Path = FUNCTION_DIR) -> dict[str, FunctionPackage]:
    """Every function's package, by the template parameter that takes its key."""
    return {parameter: build_package(name, sources, source) for parameter, (name, sources) in FUNCTION_PACKAGES.items()}
