"""The benchmark report: a Markdown table with each figure beside its reference and goal, the
README section it fills, and the latency plot."""

from __future__ import annotations

import os
import platform
import sys
from datetime import date
from pathlib import Path

from benchmarks import localcloud
from benchmarks.timing import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
PLOT = PROJECT_ROOT / "upload-latency.png"
START = "<!-- benchmarks start -->"
END = "<!-- benchmarks end -->"


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def spread(figures: dict, digits: int = 0) -> str:
    """A summary's median with its p90, in milliseconds."""
    return f"{figures['median']:.{digits}f} ms (p90 {figures['p90']:.{digits}f})"


def rows(results: dict) -> list[list[str]]:
    """Measure, ours, reference, goal, verdict."""
    table = []
    render = results["render"]
    table.append(
        [
            "Render every template (fresh process)",
            spread(render["render every template"]),
            f"bare `import troposphere, awacs, cfn_flip`: {spread(render['bare import'])}",
            f"<= {render['goal']:g}x: {render['ratio']:.2f}x",
            verdict(render["met"]),
        ]
    )
    if "cdk" in results:
        cdk = results["cdk"]
        table.append(
            [
                "Render vs `cdk synth` of the same stack",
                spread(cdk["render every template"]),
                f"`cdk synth`: {spread(cdk['cdk synth'])}",
                f">= {cdk['goal']:.0f}x faster: {cdk['ratio']:.1f}x",
                verdict(cdk["met"]),
            ]
        )
    memory = [f"bare import: {render['bare import']['max_rss_mib']:.0f} MiB"]
    if "cdk" in results:
        memory.append(f"`cdk synth` (its largest process): {results['cdk']['cdk synth']['max_rss_mib']:.0f} MiB")
    table.append(
        [
            "Peak memory of the render (max RSS)",
            f"{render['render every template']['max_rss_mib']:.0f} MiB",
            "; ".join(memory),
            "-",
            "-",
        ]
    )
    cold = results["function"]["cold"]
    table.append(
        [
            "Function cold import",
            spread(cold["import function/handler.py"]),
            f"boto3 + one DynamoDB client: {spread(cold['boto3 + one DynamoDB client'])}",
            f"<= +{cold['goal_ms']:.0f} ms: {cold['extra_ms']:+.1f} ms",
            verdict(cold["met"]),
        ]
    )
    warm = results["function"]["warm"]
    table.append(
        [
            "Function warm cost per record, conditional write (moto server)",
            spread(warm["handler"], 2),
            f"bare `put_item` loop: {spread(warm['bare put_item'], 2)}",
            f"<= {warm['goal']}x: {warm['ratio']:.2f}x",
            verdict(warm["met"]),
        ]
    )
    table.append(
        [
            "Function warm cost per duplicate record (already logged)",
            spread(warm["duplicate"], 2),
            f"bare `put_item` loop: {spread(warm['bare put_item'], 2)} ({warm['duplicate_ratio']:.2f}x)",
            f"one `PutItem`, nothing more: {warm['calls_per_duplicate']:g} per record",
            verdict(warm["duplicate_met"]),
        ]
    )
    cloud = results["localcloud"]
    latency = cloud["latency_ms"]
    table.append(
        [
            f"Upload -> item visible, local cloud ({latency['n']} uploads)",
            spread(latency, 1),
            "-",
            f"median <= {cloud['goal_ms']:.0f} ms",
            verdict(cloud["met"]),
        ]
    )
    table.append(
        [
            "Stack create, local cloud (deploy.py)",
            f"{cloud['create_s']:.2f} s, {cloud['create_calls']} API calls",
            "-",
            "-",
            "-",
        ]
    )
    table.append(
        [
            "Unchanged redeploy, local cloud",
            f"{cloud['redeploy_s']:.2f} s, {cloud['redeploy_calls']} API calls",
            "-",
            "no changes, no upload",
            "-",
        ]
    )
    table.append(["Destroy, local cloud", f"{cloud['destroy_s']:.2f} s", "-", "-", "-"])
    burst = cloud["burst"]
    table.append(
        [
            f"Burst of {burst['uploads']} uploads until all are logged, local cloud",
            f"{burst['logged_s']:.2f} s, {burst['items_per_s']:.0f} items/s",
            f"uploads themselves: {burst['uploaded_s']:.2f} s",
            "-",
            "-",
        ]
    )
    run = cloud["local_run"]
    table.append(
        [
            "`python scripts/deploy.py --local`: start, deploy, upload to item, stop (fresh process, "
            f"{run['deploy.py --local']['n']} runs alternating with the floor's)",
            spread(run["deploy.py --local"]),
            f"bare `{localcloud.BARE_IMPORT}`: {spread(run['bare import'])}",
            f"<= {run['goal']:.0f}x: {run['ratio']:.2f}x",
            verdict(run["met"]),
        ]
    )
    table.append(
        [
            "Local cloud start until ready (fresh process)",
            spread(run["server start"]),
            f"bare `import moto.server`: {spread(run['import moto.server'])}",
            f"<= {run['start_goal']:.0f}x: {run['start_ratio']:.2f}x",
            verdict(run["start_met"]),
        ]
    )
    for name, package in results["package"].items():
        table.append(
            [
                f"Function package {name}",
                f"{package['bytes']} bytes",
                "second build",
                "same SHA-256",
                verdict(package["reproducible"]),
            ]
        )
    return table


def markdown(results: dict, command: str) -> str:
    lines = [
        f"Measured on {date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} ({platform.system()}), with `{command}`; medians of "
        "repeated runs, each figure beside its reference measured in the same run; load average "
        f"{os.getloadavg()[1]:.1f} over the last 5 minutes when it ended.",
        "",
        "| measure | uploadtrail | reference | goal | verdict |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    run = results["localcloud"]["local_run"]
    lines += [
        "",
        "Each function's first worker starts when the function is created, with boto3 imported; the first upload "
        "runs the handler's own initialisation in it (the slowest sample), later uploads reuse it. Uploads invoke "
        "the function asynchronously, up to 4 at once.",
        "",
        "Where a `deploy.py --local` run goes (one run, in process): "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in run["phases_s"].items())
        + ". The client's imports, its boto3 session and service models load while the server starts, so the start "
        "is the server's: moto's own import (the floor's `import moto.server`), then the models of this stack's "
        "services and the local cloud's patches. The root cause of most of the start was upstream moto: its "
        "CloudFormation finds models through `CloudFormationModel.__subclasses__()` "
        "([getmoto/moto#3201](https://github.com/getmoto/moto/pull/3201)), so `moto.cloudformation.parsing` imports "
        "the models of every service it knows, about 0.7 s, mostly `moto.ec2` (moto's maintainers: \"CloudFormation "
        'imports everything, so this is quite an expensive import", '
        "[getmoto/moto#8874](https://github.com/getmoto/moto/pull/8874)); the local cloud imports those of this "
        "stack's services only and the others when a template or request needs them. Of the deploy, the first "
        "requests build what moto builds once per process: a boto3 session and botocore's endpoints (read once), "
        "each service's API model (through one loader, where moto made one per model and a session per error), and "
        "IAM's backend for one partition (moto's account lookup built six), whose 1,582 AWS-managed policies are "
        "made when first used (the stack's role attaches one; moto made them all with each backend). The change "
        "set's execution then waits for the cleanup function's first invocation: its worker "
        "started when the function was created, and the handler's own initialisation (an S3 client) runs at that "
        "invocation, as on Lambda; the upload to item runs the logger's (a DynamoDB client) the same way. Templates "
        "are read as JSON (moto read them with pure-Python YAML, twice per deploy), and a KMS key makes its private "
        "half on first use (moto made an RSA key for every symmetric one). What the server and the workers load at "
        "start is left out of every garbage collection, and every process exits without a final one.",
        "",
        "Peak memory is the max RSS of a command's largest process (for `cdk synth`, the CLI or the app it runs).",
    ]
    lines += [
        "",
        "The project's modules were compiled once before timing, as Python's first run writes them "
        "(installed packages are compiled at install)"
        + (", since PYTHONDONTWRITEBYTECODE was set here." if os.environ.get("PYTHONDONTWRITEBYTECODE") else "."),
    ]
    if "cdk" in results:
        lines += ["", f"What differs from the CDK template: {results['cdk']['differences']}"]
    if results.get("plot"):
        lines += ["", f"![Upload to item latency]({Path(results['plot']).name})"]
    return "\n".join(lines) + "\n"


def rewrite_readme(section: str, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{section}{END}{tail}", encoding="utf-8")


def plot_latency(samples: list[float], goal_ms: float, path: Path = PLOT) -> Path | None:
    """A histogram of upload -> item latency; None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[benchmarks]'): no plot", file=sys.stderr)
        return None
    figure, axes = plt.subplots(figsize=(7, 3.5), dpi=100)
    axes.hist(samples, bins=25, color="#3b78b0")
    axes.axvline(goal_ms, color="#c0392b", linestyle="--", label=f"goal: median <= {goal_ms:.0f} ms")
    ordered = sorted(samples)
    axes.axvline(ordered[len(ordered) // 2], color="#27ae60", label=f"median {ordered[len(ordered) // 2]:.1f} ms")
    axes.set_xlabel("upload -> logged item visible (ms)")
    axes.set_ylabel("uploads")
    axes.set_title(f"Local cloud: {len(samples)} uploads")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path
