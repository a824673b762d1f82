"""At-least-once delivery: however often Lambda delivers an upload's event, it is one item; a
duplicate is a real invocation, and one that fails ends as a dead letter like any event. On the
local cloud the stack runs on a server started with --redeliver 1 (every event twice); AWS and
LocalStack cannot be made to redeliver, so there the same uploads must still be one item each."""

from __future__ import annotations

import json
import uuid
from collections import Counter

import pytest

from deployment import log_location
from deployment.aws_clients import DEFAULT_REGION, Target, make_clients
from localcloud import server as localcloud
from tests.integration.conftest import LOCAL_RETRY_DELAY, TARGET, endpoint_kind, stack_deployed
from tests.integration.test_nothing_lost import dead_letter_keys, items_under, upload_burst, wait_for

DISTINCT = 30
REPEATS = 3
DENY_WRITES = "uploadtrail-it-deny-table-writes"


@pytest.fixture(scope="module")
def redelivering(target, target_args, stack_name, tmp_path_factory):
    """(clients, outputs, copies): a stack of its own, and how many times each event is delivered
    at least (2 on the local cloud with --redeliver 1; 1 where redelivery cannot be forced)."""
    args = list(target_args)
    args[args.index(stack_name)] = f"{stack_name}-redeliver"
    folder = tmp_path_factory.mktemp("redeliver")
    if TARGET != "local":
        with stack_deployed(args, folder) as outputs:
            yield make_clients(target), outputs, 1
        return
    with localcloud.running(retry_delay=LOCAL_RETRY_DELAY, redeliver=1) as endpoint:
        args[args.index(target.endpoint)] = endpoint
        with stack_deployed(args, folder) as outputs:
            yield make_clients(Target(DEFAULT_REGION, endpoint)), outputs, 2


def log_lines(clients, group: str, prefix: str) -> list[str]:
    """The function's log lines that start with prefix."""
    pages = clients.client("logs").get_paginator("filter_log_events").paginate(logGroupName=group)
    return [event["message"] for page in pages for event in page["events"] if event["message"].startswith(prefix)]


def test_every_upload_is_one_item_however_often_its_event_is_delivered(redelivering):
    """The invocations are read from the log group the target names (LocalStack writes to
    /aws/lambda/<name> whatever LoggingConfig says), as `uploadtrail logs` finds it."""
    clients, outputs, copies = redelivering
    group = log_location.log_group(clients.client("lambda"), outputs, endpoint_kind())
    prefix = f"again-{uuid.uuid4().hex[:8]}/"
    keys = [f"{prefix}{n} file.txt" for n in range(DISTINCT)] + [f"{prefix}same.txt"] * REPEATS
    for key in keys[DISTINCT:]:  # one key three times: three uploads, three items
        clients.s3.put_object(Bucket=outputs["BucketName"], Key=key, Body=b"again")
    upload_burst(clients, outputs["BucketName"], keys[:DISTINCT])
    starts = wait_for(lambda: log_lines(clients, group, "START RequestId:"), copies * len(keys))
    reports = wait_for(lambda: log_lines(clients, group, "REPORT RequestId:"), copies * len(keys))
    assert len(starts) >= copies * len(keys) and len(reports) >= copies * len(keys)
    items = wait_for(lambda: items_under(clients, outputs, prefix), len(keys))
    assert Counter(item["objectKey"]["S"] for item in items) == Counter(keys)
    assert len({item["requestId"]["S"] for item in items}) == len(keys)


@pytest.mark.localstack_ignores("Policies")
def test_with_table_writes_denied_then_allowed_each_upload_is_one_item_or_dead_letters_never_two_items(
    redelivering,
):
    clients, outputs, copies = redelivering
    iam = clients.client("iam")
    role = clients.client("lambda").get_function_configuration(FunctionName=outputs["LambdaFunctionName"])["Role"]
    role_name = role.rsplit("/", 1)[1]
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "*"}]}
    prefix = f"denied-{uuid.uuid4().hex[:8]}/"
    refused = [f"{prefix}refused {n}.txt" for n in range(DISTINCT)]
    allowed = [f"{prefix}allowed {n}.txt" for n in range(DISTINCT)]
    iam.put_role_policy(RoleName=role_name, PolicyName=DENY_WRITES, PolicyDocument=json.dumps(deny))
    dead: list[str] = []

    def dead_so_far() -> list[str]:
        dead.extend(dead_letter_keys(clients, outputs))
        return dead

    try:
        upload_burst(clients, outputs["BucketName"], refused)
        wait_for(dead_so_far, copies * len(refused))
    finally:
        iam.delete_role_policy(RoleName=role_name, PolicyName=DENY_WRITES)
    upload_burst(clients, outputs["BucketName"], allowed)
    items = wait_for(lambda: items_under(clients, outputs, prefix), len(allowed))
    logged = Counter(item["objectKey"]["S"] for item in items)
    assert max(logged.values()) == 1  # never two items for one upload
    assert all(logged[key] or key in dead for key in refused + allowed)  # none lost
    if copies == 2:  # every delivery of a refused upload is its own event: retried, then its own dead letter
        assert Counter(dead) == Counter({key: 2 for key in refused}) and not set(logged) & set(refused)
