"""Helpers of the contract tests, which run plain moto in the test process (no patch installed):
resources made through its API, and the events it sends."""

from __future__ import annotations

import json
from collections.abc import Callable

import boto3

from tests.localcloud.stacks import zipped

BUCKET = "contract-bucket"


def create_stack(aws, resources: dict) -> str:
    return aws("cloudformation").create_stack(StackName="contract", TemplateBody=json.dumps({"Resources": resources}))[
        "StackId"
    ]


def plain_function(aws, app: str, **properties) -> str:
    """A Python function named f with app.py as its code; its name."""
    role = aws("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    aws("lambda").create_function(
        FunctionName="f",
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zipped({"app.py": app})},
        **properties,
    )
    return "f"


def queue_arn(aws, name: str) -> tuple[str, str]:
    """A new queue's URL and ARN."""
    url = aws("sqs").create_queue(QueueName=name)["QueueUrl"]
    return url, aws("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def assumed_role_clients(aws, statements: list[dict]):
    """Clients signed with credentials of a new role holding these statements."""
    iam = aws("iam")
    arn = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    document = {"Version": "2012-10-17", "Statement": statements}
    iam.put_role_policy(RoleName="fn-role", PolicyName="p", PolicyDocument=json.dumps(document))
    credentials = aws("sts").assume_role(RoleArn=arn, RoleSessionName="fn")["Credentials"]
    return lambda service: boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def function_with_dead_letter_queue(aws) -> str:
    """A failing function whose DeadLetterConfig names a queue; its name."""
    _, arn = queue_arn(aws, "dlq")
    return plain_function(
        aws, "def handler(event, context):\n    raise ValueError(event)\n", DeadLetterConfig={"TargetArn": arn}
    )


def queued_events(aws) -> tuple[str, Callable[[], list[dict]]]:
    """A bucket whose ObjectCreated events go to a queue; (bucket, the event records so far)."""
    sqs, s3 = aws("sqs"), aws("s3")
    queue, arn = queue_arn(aws, "events")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )

    def records() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        return [record for message in messages for record in json.loads(message["Body"]).get("Records", [])]

    return BUCKET, records
