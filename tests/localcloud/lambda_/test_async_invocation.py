"""Asynchronous invocation as Lambda does it: an upload returns before its function runs; a failed
event is retried, then sent to the dead-letter queue with Lambda's attributes; the event invoke
config (API or template) sets the retries; reserved concurrency (default 4) bounds how many run at
once, each in its own worker; InvocationType=Event behaves alike; shutdown reports what is left."""

from __future__ import annotations

import json
import time
import uuid

import boto3
import pytest

from localcloud import server as localcloud
from tests.localcloud.conftest import REGION
from tests.localcloud.stacks import (
    deploy,
    events,
    outputs,
    permit_s3,
    python_function_template,
    upload_code,
    zipped,
)

DEADLINE = 60.0
APP = """
import json, os, time
import boto3

SQS = boto3.client("sqs")
S3 = boto3.client("s3")


def note(context, phase, key):
    body = {"requestId": context.aws_request_id, "phase": phase, "key": key, "pid": os.getpid(), "at": time.time()}
    SQS.send_message(QueueUrl=os.environ["SEEN_QUEUE_URL"], MessageBody=json.dumps(body))


def handler(event, context):
    records = event.get("Records") or [{"s3": {"bucket": {"name": ""}, "object": {"key": event.get("key", "")}}}]
    bucket, key = records[0]["s3"]["bucket"]["name"], records[0]["s3"]["object"]["key"]
    note(context, "start", key)
    if key.startswith("fail"):
        raise ValueError("told to fail: " + key)
    while key.startswith("hold"):
        try:
            S3.head_object(Bucket=bucket, Key="release")
            break
        except S3.exceptions.ClientError:
            time.sleep(0.05)
    note(context, "end", key)
    return {"key": key}
"""


def queue_messages(sqs, queue_url: str, count: int, attributes: bool = False) -> list[dict]:
    """Wait for `count` messages (deleting them); fewer at the deadline."""
    found: list[dict] = []
    deadline = time.monotonic() + DEADLINE
    while len(found) < count and time.monotonic() < deadline:
        response = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"] if attributes else []
        )
        for message in response.get("Messages", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            found.append(message)
    return found


class AsyncFunction:
    """A deployed test function with its upload bucket, its 'seen' queue and its dead-letter queue."""

    def __init__(
        self, aws, code_key: str, reserved: int | None = None, retries: int | None = None, dead_letter: bool = True
    ):
        self.aws = aws
        self.sqs = aws("sqs")
        self.code_key, self.reserved, self.dead_letter = code_key, reserved, dead_letter
        self.stack = name = f"async-{uuid.uuid4().hex[:8]}"
        described = deploy(aws, name, self.template(retries))
        self.stack_id, values = described["StackId"], outputs(described)
        self.name, self.seen, self.dead_letters = values["FunctionName"], values["Seen"], values["DeadLetters"]
        self.bucket = name
        s3 = aws("s3")
        s3.create_bucket(Bucket=self.bucket)
        arn = aws("lambda").get_function(FunctionName=self.name)["Configuration"]["FunctionArn"]
        permit_s3(aws, arn, self.bucket)
        s3.put_bucket_notification_configuration(
            Bucket=self.bucket,
            NotificationConfiguration={
                "LambdaFunctionConfigurations": [
                    {
                        "LambdaFunctionArn": arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "fail"}]}},
                    },
                    {
                        "LambdaFunctionArn": arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "hold"}]}},
                    },
                ]
            },
        )

    def template(self, retries: int | None) -> dict:
        template = python_function_template(self.code_key, timeout=30)
        resources = template["Resources"]
        resources["Seen"] = {"Type": "AWS::SQS::Queue"}
        resources["DeadLetters"] = {"Type": "AWS::SQS::Queue"}
        properties = resources["Function"]["Properties"]
        properties["Environment"] = {"Variables": {"SEEN_QUEUE_URL": {"Ref": "Seen"}}}
        # What the app does, and what Lambda needs to send dead letters, and nothing more.
        resources["Role"]["Properties"]["Policies"] = [
            {
                "PolicyName": "app",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sqs:SendMessage",
                            "Resource": [{"Fn::GetAtt": [queue, "Arn"]} for queue in ("Seen", "DeadLetters")],
                        },
                        {
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${AWS::StackName}/*"},
                        },
                    ],
                },
            }
        ]
        if self.dead_letter:
            properties["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]}}
        if self.reserved is not None:
            properties["ReservedConcurrentExecutions"] = self.reserved
        if retries is not None:
            resources["RetryConfig"] = {
                "Type": "AWS::Lambda::EventInvokeConfig",
                "Properties": {
                    "FunctionName": {"Ref": "Function"},
                    "Qualifier": "$LATEST",
                    "MaximumRetryAttempts": retries,
                },
            }
        template["Outputs"].update(
            {"Seen": {"Value": {"Ref": "Seen"}}, "DeadLetters": {"Value": {"Ref": "DeadLetters"}}}
        )
        return template

    def upload(self, key: str) -> None:
        self.aws("s3").put_object(Bucket=self.bucket, Key=key, Body=b"x")

    def notes(self, count: int) -> list[dict]:
        return [json.loads(m["Body"]) for m in queue_messages(self.sqs, self.seen, count)]

    def dead_letters_received(self, count: int) -> list[dict]:
        return queue_messages(self.sqs, self.dead_letters, count, attributes=True)


@pytest.fixture(scope="module")
def code_key(aws):
    return upload_code(aws, zipped({"app.py": APP}))


def most_at_once(notes: list[dict]) -> int:
    """The most invocations running at the same time, from their start and end notes."""
    running = most = 0
    for note in sorted(notes, key=lambda n: (n["at"], n["phase"] == "start")):
        running += 1 if note["phase"] == "start" else -1
        most = max(most, running)
    return most


def test_an_upload_returns_before_its_function_runs(aws, code_key):
    function = AsyncFunction(aws, code_key)
    function.upload("hold-1")  # synchronous delivery would block here until the handler timed out
    (started,) = function.notes(1)
    assert started["phase"] == "start"
    function.upload("release")
    (ended,) = function.notes(1)
    assert (ended["phase"], ended["requestId"]) == ("end", started["requestId"])


def test_a_failing_event_is_retried_twice_then_sent_to_the_dead_letter_queue_as_lambda_sends_it(aws, code_key):
    function = AsyncFunction(aws, code_key)
    function.upload("fail-1")
    (message,) = function.dead_letters_received(1)
    attempts = function.notes(3)
    assert [n["phase"] for n in attempts] == ["start"] * 3
    assert len({n["requestId"] for n in attempts}) == 1  # Lambda keeps the request id across retries
    (record,) = json.loads(message["Body"])["Records"]  # the original event, unchanged
    assert record["eventName"] == "ObjectCreated:Put" and record["s3"]["object"]["key"] == "fail-1"
    assert message["MessageAttributes"] == {
        "RequestID": {"StringValue": attempts[0]["requestId"], "DataType": "String"},
        "ErrorCode": {"StringValue": "200", "DataType": "Number"},
        "ErrorMessage": {"StringValue": "told to fail: fail-1", "DataType": "String"},
    }


def test_the_event_invoke_config_of_the_template_then_of_the_api_sets_the_retries(aws, code_key):
    function = AsyncFunction(aws, code_key, retries=1)
    function.upload("fail-template")
    assert len(function.dead_letters_received(1)) == 1
    assert len(function.notes(2)) == 2
    aws("lambda").put_function_event_invoke_config(FunctionName=function.name, MaximumRetryAttempts=0)
    function.upload("fail-api")
    assert len(function.dead_letters_received(1)) == 1
    assert [n["key"] for n in function.notes(1)] == ["fail-api"]
    assert function.sqs.receive_message(QueueUrl=function.seen).get("Messages", []) == []


@pytest.mark.parametrize("reserved, expected", [(2, 2), (None, 4)])
def test_reserved_concurrency_or_four_run_at_once_each_in_its_own_worker(aws, code_key, reserved, expected):
    function = AsyncFunction(aws, code_key, reserved=reserved)
    for n in range(expected + 2):
        function.upload(f"hold-{n}")
    started = function.notes(expected)
    assert len({note["pid"] for note in started}) == expected
    function.upload("release")
    notes = started + function.notes(2 * (expected + 2) - expected)
    assert sorted(n["key"] for n in notes if n["phase"] == "end") == sorted(f"hold-{n}" for n in range(expected + 2))
    assert most_at_once(notes) == expected


def test_an_event_invocation_through_the_lambda_api_is_queued_and_retried_alike(aws, code_key):
    function = AsyncFunction(aws, code_key)
    response = aws("lambda").invoke(FunctionName=function.name, InvocationType="Event", Payload=b'{"key": "fail-api"}')
    assert response["StatusCode"] == 202 and response["Payload"].read() == b""
    (message,) = function.dead_letters_received(1)
    assert json.loads(message["Body"]) == {"key": "fail-api"}
    assert len(function.notes(3)) == 3
    configuration = aws("lambda").get_function_configuration(FunctionName=function.name)
    assert configuration["DeadLetterConfig"]["TargetArn"].endswith(function.dead_letters.rsplit("/", 1)[1])


def test_shutdown_reports_invocations_still_queued_with_their_bucket_and_key(capfd):
    """Issue 20 item 13: each undelivered S3 event is named by its bucket and key."""
    with localcloud.running(retry_delay=600) as endpoint:
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)

        def aws(service):
            return session.client(service, endpoint_url=endpoint)

        function = AsyncFunction(aws, upload_code(aws, zipped({"app.py": APP})))
        function.upload("fail-at-shutdown")
        (attempt,) = function.notes(1)
    stopped = capfd.readouterr().err
    assert f"not delivered at shutdown: asynchronous invocation {attempt['requestId']} of " in stopped
    assert f"for s3://{function.bucket}/fail-at-shutdown (1 attempt(s) made)" in stopped


def test_the_template_updates_and_deletes_its_event_invoke_config(aws, code_key):
    function = AsyncFunction(aws, code_key, retries=1)
    deploy(aws, function.stack, function.template(retries=0))
    config = aws("lambda").get_function_event_invoke_config(FunctionName=function.name)
    assert config["MaximumRetryAttempts"] == 0
    aws("cloudformation").delete_stack(StackName=function.stack)
    (stack,) = aws("cloudformation").describe_stacks(StackName=function.stack_id)["Stacks"]
    assert stack["StackStatus"] == "DELETE_COMPLETE"


def test_without_a_dead_letter_queue_a_failing_event_is_discarded_after_its_retries(aws, code_key):
    function = AsyncFunction(aws, code_key, dead_letter=False)
    function.upload("fail-discarded")
    assert len(function.notes(3)) == 3
    assert "DeadLetterConfig" not in aws("lambda").get_function_configuration(FunctionName=function.name)


def test_a_dead_letter_queue_that_is_gone_is_reported(aws, code_key, capfd):
    function = AsyncFunction(aws, code_key, retries=0)
    function.sqs.delete_queue(QueueUrl=function.dead_letters)
    function.upload("fail-nowhere")
    (attempt,) = function.notes(1)
    deadline = time.monotonic() + DEADLINE
    err = ""
    while f"could not send event {attempt['requestId']}" not in err and time.monotonic() < deadline:
        err += capfd.readouterr().err
        time.sleep(0.05)
    assert f"could not send event {attempt['requestId']} to the dead-letter queue" in err


def test_an_upload_for_a_function_that_is_gone_still_succeeds(aws, code_key):
    function = AsyncFunction(aws, code_key)
    aws("lambda").delete_function(FunctionName=function.name)
    function.upload("fail-after-delete")
    assert aws("s3").head_object(Bucket=function.bucket, Key="fail-after-delete")["ContentLength"] == 1


DENIED = "The provided execution role does not have permissions to call SendMessage on SQS"


def test_a_dead_letter_queue_the_role_may_not_send_to_fails_the_create_as_on_aws(aws, code_key):
    """Lambda sends dead letters with the execution role, and checks it may when the function is made."""
    template = python_function_template(code_key)
    template["Resources"]["DeadLetters"] = {"Type": "AWS::SQS::Queue"}
    properties = template["Resources"]["Function"]["Properties"]
    properties["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]}}
    stack = deploy(aws, f"dlq-denied-{uuid.uuid4().hex[:8]}", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    reasons = [reason or "" for logical, status, reason in events(aws, stack["StackId"]) if status == "CREATE_FAILED"]
    assert any(DENIED in reason for reason in reasons), reasons


def test_the_lambda_api_refuses_a_dead_letter_queue_the_role_may_not_send_to(aws, code_key):
    iam, sqs = aws("iam"), aws("sqs")
    role = iam.create_role(RoleName=f"no-dlq-{uuid.uuid4().hex[:8]}", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    queue = sqs.create_queue(QueueName=f"dlq-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = f"no-dlq-{uuid.uuid4().hex[:8]}"
    lambda_client = aws("lambda")
    with pytest.raises(lambda_client.exceptions.InvalidParameterValueException, match=DENIED):
        lambda_client.create_function(
            FunctionName=name,
            Runtime="python3.13",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": zipped({"app.py": APP})},
            DeadLetterConfig={"TargetArn": queue_arn},
        )
    with pytest.raises(lambda_client.exceptions.ResourceNotFoundException):
        lambda_client.get_function(FunctionName=name)
