"""The failure drill (issue 19): the function's role loses its table write; uploads end in the
dead-letter queue; the stack's DeadLetters alarm goes to ALARM and a queue subscribed to the alarm
topic receives CloudWatch's notification; the permission comes back and uploads are logged again;
`uploadtrail redrive --yes` logs each dead-lettered upload once and empties the queue, and a second
redrive changes nothing.
On the local cloud the stack runs on a server of its own whose alarm periods are compressed
(--alarm-period-scale), so a one-minute alarm period passes in seconds; elsewhere it takes minutes."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from deployment.aws_clients import DEFAULT_REGION, Target, make_clients
from deployment.commands import main as uploadtrail
from localcloud import server as localcloud
from tests.integration.conftest import LOCAL_RETRY_DELAY, TARGET, stack_deployed
from tests.integration.test_nothing_lost import items_under, upload_burst, wait_for

# A one-minute alarm period lasts three seconds on the local cloud.
ALARM_PERIOD_SCALE = 0.05
# Lambda retries a failed event after about one minute, then two, and CloudWatch evaluates each
# minute: on AWS the drill takes several minutes.
TIMEOUT = 120 if TARGET == "local" else 1200
UPLOADS = 3


@pytest.fixture(scope="module")
def drill(target, target_args, stack_name, tmp_path_factory):
    """(clients, outputs, target args) of a stack of its own (on the local cloud, on a server with
    compressed alarm periods); destroyed afterwards."""
    args = list(target_args)
    args[args.index(stack_name)] = f"{stack_name}-drill"
    folder = tmp_path_factory.mktemp("drill")
    if TARGET != "local":
        with stack_deployed(args, folder) as outputs:
            yield make_clients(target), outputs, args
        return
    with localcloud.running(retry_delay=LOCAL_RETRY_DELAY, alarm_period_scale=ALARM_PERIOD_SCALE) as endpoint:
        args[args.index(target.endpoint)] = endpoint
        with stack_deployed(args, folder) as outputs:
            yield make_clients(Target(DEFAULT_REGION, endpoint)), outputs, args


def until(found, what: str):
    """found()'s first truthy answer; fails naming `what` at the deadline."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        answer = found()
        if answer:
            return answer
        assert time.monotonic() < deadline, f"not within {TIMEOUT} s: {what}"
        time.sleep(0.5)


@pytest.fixture
def notified(drill):
    """The URL of a queue subscribed to the stack's alarm topic, as a person's tooling would
    subscribe one (its policy lets only that topic send); unsubscribed and deleted afterwards."""
    clients, outputs, _ = drill
    sqs, topic = clients.client("sqs"), outputs["AlarmTopicArn"]
    url = sqs.create_queue(QueueName=f"uploadtrail-drill-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    allow_topic = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(allow_topic)})
    subscription = clients.client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
    try:
        yield url
    finally:
        clients.client("sns").unsubscribe(SubscriptionArn=subscription)
        sqs.delete_queue(QueueUrl=url)


def alarm_notifications(clients, url: str) -> list[dict]:
    """The CloudWatch notifications in the queue so far (SNS's envelope opened), deleting them."""
    sqs = clients.client("sqs")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    for message in messages:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return [json.loads(json.loads(message["Body"])["Message"]) for message in messages]


def dead_letter_depth(clients, outputs: dict) -> int:
    """The dead letters in the queue, waiting or in flight."""
    attributes = clients.client("sqs").get_queue_attributes(
        QueueUrl=outputs["DeadLetterQueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(count) for count in attributes.values())


def test_lost_table_writes_dead_letter_then_alarm_then_redrive_logs_each_upload_once(drill, notified, capsys):
    clients, outputs, args = drill
    iam, cloudwatch = clients.client("iam"), clients.client("cloudwatch")
    role = clients.client("lambda").get_function_configuration(FunctionName=outputs["LambdaFunctionName"])["Role"]
    role_name = role.rsplit("/", 1)[1]
    (policy_name,) = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    granted = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
    writes = [s for s in granted["Statement"] if "dynamodb:PutItem" in json.dumps(s.get("Action"))]
    assert writes, "the function's role grants the table write the drill takes away"
    revoked = granted | {"Statement": [s for s in granted["Statement"] if s not in writes]}
    alarm = f"{outputs['AlarmNamePrefix']}DeadLetters"
    prefix = f"drill-{uuid.uuid4().hex[:8]}/"
    keys = [f"{prefix}{n} refused.txt" for n in range(UPLOADS)]

    iam.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=json.dumps(revoked))
    try:
        upload_burst(clients, outputs["BucketName"], keys)
        until(lambda: dead_letter_depth(clients, outputs) >= UPLOADS, f"{UPLOADS} dead letters")
        until(
            lambda: cloudwatch.describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["StateValue"] == "ALARM",
            f"{alarm} in ALARM",
        )
        received: list[dict] = []

        def alarmed() -> dict | None:
            received.extend(n for n in alarm_notifications(clients, notified) if n["AlarmName"] == alarm)
            return next((n for n in received if n["NewStateValue"] == "ALARM"), None)

        notification = until(alarmed, f"the ALARM notification of {alarm} in the subscribed queue")
    finally:
        iam.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=json.dumps(granted))
    assert notification["OldStateValue"] in ("OK", "INSUFFICIENT_DATA")
    assert notification["NewStateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [")
    queue_name = outputs["DeadLetterQueueUrl"].rsplit("/", 1)[1]
    assert notification["Trigger"]["Namespace"] == "AWS/SQS"
    assert notification["Trigger"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert notification["Trigger"]["Dimensions"] == [{"value": queue_name, "name": "QueueName"}]
    assert dead_letter_depth(clients, outputs) == UPLOADS and items_under(clients, outputs, prefix) == []

    # The permission is back: a new upload is logged again.
    upload_burst(clients, outputs["BucketName"], [f"{prefix}allowed.txt"])
    (item,) = wait_for(lambda: items_under(clients, outputs, prefix), 1)
    assert item["objectKey"]["S"] == f"{prefix}allowed.txt"

    # The redrive: each dead letter is logged once and the queue is empty; a second changes nothing.
    assert uploadtrail.main(["redrive", "--yes", *args]) == 0
    assert f"s3://{outputs['BucketName']}/{keys[0]}" in capsys.readouterr().out
    logged = wait_for(lambda: items_under(clients, outputs, prefix), UPLOADS + 1)
    assert sorted(i["objectKey"]["S"] for i in logged) == sorted([*keys, f"{prefix}allowed.txt"])
    assert dead_letter_depth(clients, outputs) == 0
    assert uploadtrail.main(["redrive", "--yes", *args]) == 0
    assert "nothing to redrive" in capsys.readouterr().out
    assert len(items_under(clients, outputs, prefix)) == UPLOADS + 1
