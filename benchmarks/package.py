"""The function packages: each one's size, and whether two builds give the same hash.

Run: python -m benchmarks.package
"""

from __future__ import annotations

import sys

from deployment.function_package import build_packages


def measure() -> dict[str, dict]:
    """Each package's size and hash, by its function's name, and whether a second build matches."""
    first, second = build_packages(), build_packages()
    return {
        package.name: {
            "bytes": len(package.data),
            "sha256": package.sha256,
            "reproducible": package.sha256 == second[key].sha256,
        }
        for key, package in first.items()
    }


def main() -> int:
    for name, result in measure().items():
        print(
            f"{name} package: {result['bytes']} bytes, sha256 {result['sha256'][:16]}..., "
            f"two builds equal: {result['reproducible']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
