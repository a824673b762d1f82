"""The target options every sub-command takes (--stack-name, --endpoint, --profile, --region, and
--local where it makes sense), checked before any call, and the target they open."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import boto3
import botocore
import botocore.session

from deployment.aws_clients import DEFAULT_REGION, Clients, Target, make_clients, make_session
from deployment.errors import BadStackName, UnknownRegion
from deployment.messages import EXIT_CODES, Situation
from deployment.reporter import Reporter
from deployment.target_kind import TargetKind, target_kind
from generator.config import stack_name_problem
from localcloud.server import Starting

KNOWN_REGIONS_SOURCE = f"botocore {botocore.__version__} (its endpoints.json)"


def endpoint_url(text: str) -> str:
    """--endpoint's value: an http:// or https:// URL with a host."""
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an endpoint URL: give its scheme and host, such as http://{text.split('://')[-1]} "
            "(the local cloud and LocalStack speak http:// unless started with TLS)"
        )
    return text


class LocalCloudAction(argparse.Action):
    """--local: the embedded local cloud, and no endpoint, whatever AWS_ENDPOINT_URL says."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        namespace.local = True
        namespace.endpoint = None


def add_target_options(parser: argparse.ArgumentParser, local: bool) -> None:
    parser.add_argument(
        "--stack-name",
        default="uploadtrail-dev",
        help="CloudFormation stack name (default uploadtrail-dev); it also names the upload bucket, "
        "see README 'Stack names'",
    )
    parser.add_argument("--profile", help="AWS credentials profile from ~/.aws/config (not the template profile)")
    parser.add_argument(
        "--region", help=f"AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else {DEFAULT_REGION})"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint",
        metavar="URL",
        type=endpoint_url,
        default=os.environ.get("AWS_ENDPOINT_URL"),
        help="AWS-compatible endpoint such as LocalStack's http://localhost:4566 (default: AWS_ENDPOINT_URL, "
        "where botocore sends every client); path-style S3, test credentials when none are configured",
    )
    if local:
        where.add_argument(
            "--local",
            action=LocalCloudAction,
            help="start the embedded local cloud, deploy, upload a sample object, print its logged item, and stop",
        )
    parser.set_defaults(local=False, local_cloud=None)  # local_cloud: one already starting (deployment.cli)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """A read command's --output: a table for people (the default) or JSON for scripts."""
    parser.add_argument(
        "--output", choices=["table", "json"], default="table", help="table (default) or json for scripts"
    )


def add_stack_command(
    subcommands, name: str, summary: str, description: str, local: bool = False, exit_codes: str = ""
):
    """A sub-command that works on a stack: its parser, with the target options and the exit codes
    (the table's, then the sub-command's own)."""
    epilog = f"{EXIT_CODES} {exit_codes}" if exit_codes else EXIT_CODES
    parser = subcommands.add_parser(name, help=summary, description=description, epilog=epilog)
    add_target_options(parser, local)
    return parser


def target_words(args: argparse.Namespace) -> str:
    """The target options as given, to repeat in a command the user is told to run."""
    given = [("--stack-name", args.stack_name), ("--endpoint", args.endpoint), ("--profile", args.profile)]
    given.append(("--region", args.region))
    return " ".join(f"{option} {value}" for option, value in given if value)


def known_regions() -> list[str]:
    """Every region of every partition in botocore's endpoint data."""
    session = botocore.session.get_session()
    return sorted(
        {
            region
            for partition in session.get_available_partitions()
            for region in session.get_available_regions("cloudformation", partition)
        }
    )


def region_of(args: argparse.Namespace) -> str:
    """--region, else AWS_REGION, else AWS_DEFAULT_REGION, else the credentials profile's (real AWS).
    A --profile that does not exist raises ProfileNotFound here, whatever else is given."""
    region = args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if args.profile is None and (region or args.endpoint or args.local):
        return region or DEFAULT_REGION
    profile_region = boto3.session.Session(profile_name=args.profile).region_name
    return region or profile_region or DEFAULT_REGION


def checked_region(args: argparse.Namespace) -> str:
    """The region, once it is known to be one, and the stack name, once it can name the bucket."""
    region = region_of(args)
    known = known_regions()
    if region not in known:
        raise UnknownRegion(region, known, KNOWN_REGIONS_SOURCE)
    problem = stack_name_problem(args.stack_name, region)
    if problem:
        raise BadStackName(problem)
    return region


def endpoint_kind(args: argparse.Namespace) -> TargetKind | None:
    """What answers at --endpoint; None for AWS and --local (the local cloud, run here)."""
    return target_kind(args.endpoint) if args.endpoint else None


def situation(args: argparse.Namespace, reporter: Reporter) -> Situation:
    return Situation(args.stack_name, args.endpoint, args.local, reporter.phase)


@contextmanager
def opened(args: argparse.Namespace, reporter: Reporter) -> Iterator[tuple[Target, Clients]]:
    """The checked target and its clients; with --local, the local cloud runs meanwhile."""
    region = checked_region(args)
    where = situation(args, reporter).where

    def slow_call(operation: str, seconds: float) -> None:
        reporter.slow_call(where, operation, seconds)

    if args.local:
        with args.local_cloud or Starting(tls=True) as cloud:
            # While it starts: a session and its clients' models, which the clients below reuse.
            session = make_session(Target(region, cloud.url))
            make_clients(Target(region, cloud.url), session=session)
            endpoint = cloud.ready()
            reporter.say(f"Local cloud running at {endpoint}")
            target = Target(region, endpoint, ca_bundle=endpoint.ca_bundle)
            yield target, make_clients(target, slow_call, session)
        return
    target = Target(region, args.endpoint, args.profile)
    yield target, make_clients(target, slow_call)
