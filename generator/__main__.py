"""Command line: `python -m generator` writes templates/ (and the README diagram);
`--check` exits 1 with a diff when they are stale."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from generator.render import PROJECT_ROOT, rendered_files

REGENERATE = "python -m generator"


def stale_files(files: dict[Path, str]) -> list[tuple[Path, str]]:
    """(path, unified diff) for every file whose content on disk is not what was rendered."""
    stale = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{path} (on disk)",
                tofile=f"{path} (rendered now)",
            )
            stale.append((path, "".join(diff)))
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Render uploadtrail's CloudFormation templates (JSON, YAML, Mermaid diagram).",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="render in memory and exit 1 with a diff if templates/ or the README is stale",
    )
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project root (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        files = rendered_files(args.root)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = stale_files(files)
        for _, diff in stale:
            sys.stdout.write(diff)
        if stale:
            print(f"\n{len(stale)} generated file(s) are stale; run `{REGENERATE}` and commit them.")
            return 1
        print(f"{len(files)} generated files are up to date.")
        return 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {args.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
