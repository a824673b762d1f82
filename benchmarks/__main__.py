"""One runner for every benchmark: prints the Markdown table and, with --write-readme, rewrites
the README's performance section and the latency plot.

    python -m benchmarks [--quick] [--with-cdk] [--write-readme]
"""

from __future__ import annotations

import argparse
import logging
import sys

from benchmarks import cdk, function, localcloud, package, render, report
from benchmarks.timing import compile_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few repetitions, for CI: checks that the benchmarks run, says nothing about speed",
    )
    parser.add_argument(
        "--with-cdk", action="store_true", help="also time `cdk synth` of the same stack (needs Node.js and npm)"
    )
    parser.add_argument(
        "--write-readme", action="store_true", help="rewrite the README's performance section and upload-latency.png"
    )
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    compile_project()
    repeats, uploads = (3, 10) if args.quick else (20, 50)
    results = {
        "render": render.measure(repeats),
        "function": {"cold": function.cold(repeats), "warm": function.warm(repeats)},
        "localcloud": localcloud.measure(uploads, 1 if args.quick else 9),
        "package": package.measure(),
    }
    if args.with_cdk:
        results["cdk"] = cdk.measure(3 if args.quick else 5)
    if args.write_readme:
        results["plot"] = report.plot_latency(
            results["localcloud"]["latency_samples"], results["localcloud"]["goal_ms"]
        )
    command = "python -m benchmarks" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    section = report.markdown(results, command)
    print(section)
    if args.write_readme:
        report.rewrite_readme(section)
        print(f"rewrote the performance section of {report.README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
