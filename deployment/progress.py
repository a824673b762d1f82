"""How deployment progress reads: one line per stack event, CDK-style, and plain tables."""

from __future__ import annotations


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Rows under headers, columns padded to their widest cell."""
    cells = [headers] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
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
