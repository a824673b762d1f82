"""How deployment progress reads: one line per stack event, CDK-style, and plain tables, wrapped
to a width when they would run wider."""

from __future__ import annotations

import itertools
import textwrap

# No column is narrowed below this to fit a width.
NARROWEST_COLUMN = 8
GAP = "  "


def fitted(widths: list[int], width: int | None) -> list[int]:
    """Column widths whose row fits width, narrowing the widest column first."""
    widths = list(widths)
    room = width - len(GAP) * (len(widths) - 1) if width else None
    while room is not None and sum(widths) > room and max(widths) > NARROWEST_COLUMN:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """Rows under headers, columns padded to their widest cell; cells wrapped onto more lines when
    the table would run wider than width."""
    cells = [headers] + [[str(cell) for cell in row] for row in rows]
    widths = fitted([max(len(row[i]) for row in cells) for i in range(len(headers))], width)
    lines = []
    for row in cells:
        wrapped = [
            textwrap.wrap(cell, column, break_on_hyphens=False) or [""]
            for cell, column in zip(row, widths, strict=True)
        ]
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            lines.append(GAP.join(part.ljust(column) for part, column in zip(parts, widths, strict=True)).rstrip())
        if row is headers:
            lines.append(GAP.join("-" * column for column in widths))
    return "\n".join(lines)


def event_line(stack_name: str, done: int, total: int, elapsed: float, event: dict) -> str:
    """`stack | n/total | elapsed | status | type | logical id | reason`."""
    parts = [
        stack_name,
        f"{done}/{total}",
        f"{elapsed:6.1f}s",
        event["ResourceStatus"],
        event["ResourceType"],
        event["LogicalResourceId"],
    ]
    reason = event.get("ResourceStatusReason")
    if reason:
        parts.append(reason)
    return " | ".join(parts)
