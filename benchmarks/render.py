"""Rendering every template (fresh process) against the bare `import troposphere, awacs, cfn_flip`.

Goal: at most 1.5x. Also reports the peak memory (max RSS) of both. Run: python -m benchmarks.render [repeats]
"""

from __future__ import annotations

import sys

from benchmarks.timing import interleaved

GOAL_RATIO = 1.5
CODES = {
    "bare import": "import troposphere, awacs, cfn_flip",
    "render every template": "from generator.render import rendered_files; rendered_files()",
}


def measure(repeats: int = 20) -> dict:
    """Summaries of both, and the ratio of their medians."""
    results = interleaved(CODES, repeats)
    ratio = results["render every template"]["median"] / results["bare import"]["median"]
    return {**results, "ratio": ratio, "goal": GOAL_RATIO, "met": ratio <= GOAL_RATIO}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    result = measure(int(args[0]) if args else 20)
    for name in CODES:
        s = result[name]
        print(
            f"{name}: median {s['median']:.1f} ms, p90 {s['p90']:.1f} ms, min {s['min']:.1f} ms, "
            f"max {s['max']:.1f} ms over {s['n']} runs; max RSS {s['max_rss_mib']:.1f} MiB"
        )
    verdict = "met" if result["met"] else "NOT met"
    print(f"ratio {result['ratio']:.2f}x (goal <= {GOAL_RATIO}x): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
