"""The function package: its size, and whether two builds give the same hash.

Run: python -m benchmarks.package
"""

from __future__ import annotations

import sys

from deployment.function_package import build_package


def measure() -> dict:
    first, second = build_package(), build_package()
    return {"bytes": len(first.data), "sha256": first.sha256, "reproducible": first.sha256 == second.sha256}


def main() -> int:
    result = measure()
    print(
        f"package: {result['bytes']} bytes, sha256 {result['sha256'][:16]}..., "
        f"two builds equal: {result['reproducible']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
