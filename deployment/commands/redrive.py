"""`uploadtrail redrive [--dry-run] [--yes]`: list the dead letters of the stack's dead-letter queue
(object, time, RequestID, ErrorCode, ErrorMessage, the attributes Lambda gives them), then, once
approved, re-invoke the logger asynchronously with each original event and delete a message only
once Lambda accepted its invocation (202). Messages not redriven are made visible again.

SQS's own redrive cannot do this: StartMessageMoveTask moves only from the dead-letter queue of an
SQS queue, not of a Lambda function (SQS API reference). Running it twice is safe: logging an
event is idempotent."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from urllib.parse import unquote_plus

from botocore.exceptions import ClientError

from deployment.commands.stack import described, outputs_of
from deployment.commands.target import add_output_option, add_stack_command, opened
from deployment.errors import RedriveDeclined, RedriveIncomplete, RedriveInterrupted, RedriveUnconfirmed
from deployment.messages import NO_DEAD_LETTERS_TO_REDRIVE, REDRIVE_QUESTION, REDRIVEN
from deployment.reporter import Reporter

# Received messages stay hidden this long while they are listed, asked about and re-invoked
# (the ones not redriven are made visible again at the end).
VISIBILITY_SECONDS = 900
# Each receive long-polls this long, so an empty answer means every SQS server was asked.
LAST_WAIT_SECONDS = 1
ACCEPTED = 202
# The attributes Lambda gives a dead letter (Lambda developer guide, "Dead-letter queues").
ATTRIBUTES = ["RequestID", "ErrorCode", "ErrorMessage"]


def register(subcommands) -> None:
    redrive = add_stack_command(
        subcommands,
        "redrive",
        "re-invoke the function with each dead letter's event, then delete it (asks first)",
        "List the dead letters of the stack's dead-letter queue, then re-invoke the upload logger "
        "asynchronously with each original event and delete each message once Lambda accepted it.",
        exit_codes="redrive: 2 also with no terminal to ask and no --yes; 1 when Lambda refused some invocations "
        "(those messages stay in the queue).",
    )
    redrive.add_argument("--dry-run", action="store_true", help="list the dead letters only")
    redrive.add_argument("--yes", action="store_true", help="redrive without asking")
    add_output_option(redrive)
    redrive.set_defaults(run=run)


def received(sqs, queue_url: str) -> list[dict]:
    """Every message of the queue, hidden for VISIBILITY_SECONDS, with its attributes."""
    messages: list[dict] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=VISIBILITY_SECONDS,
            WaitTimeSeconds=LAST_WAIT_SECONDS,
            MessageAttributeNames=["All"],
            AttributeNames=["SentTimestamp"],
        ).get("Messages", [])
        if not batch:
            return messages
        messages.extend(batch)


def objects_of(body: str) -> list[str]:
    """The s3://bucket/key of each record of an S3 event (keys as uploaded, not URL-encoded)."""
    try:
        records = json.loads(body).get("Records", [])
    except (ValueError, AttributeError):
        return []
    return [
        f"s3://{record['s3']['bucket']['name']}/{unquote_plus(record['s3']['object']['key'])}"
        for record in records
        if isinstance(record, dict) and "s3" in record
    ]


def dead_letter(message: dict) -> dict:
    """What a person needs of one dead letter."""
    attributes = message.get("MessageAttributes", {})
    sent = int(message.get("Attributes", {}).get("SentTimestamp", 0))
    return {
        "messageId": message["MessageId"],
        "time": datetime.fromtimestamp(sent / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "objects": objects_of(message["Body"]),
        **{name: attributes.get(name, {}).get("StringValue", "") for name in ATTRIBUTES},
    }


def listed(letters: list[dict]) -> str:
    """Each dead letter as a short block: its time and objects, then its attributes (the error
    message whole, as Lambda truncated it)."""
    return "\n".join(
        f"{d['time']}  {', '.join(d['objects']) or '(no S3 object in the event)'}\n"
        f"  RequestID {d['RequestID']}  ErrorCode {d['ErrorCode']}\n  ErrorMessage {d['ErrorMessage']}"
        for d in letters
    )


def approve(args: argparse.Namespace, reporter: Reporter, function: str, count: int) -> None:
    if args.yes:
        return
    answer = reporter.ask(REDRIVE_QUESTION.format(count=count, function=function))
    if answer is None:
        raise RedriveUnconfirmed(args.stack_name, count)
    if not answer:
        raise RedriveDeclined(args.stack_name)


def redriven(lambda_client, sqs, queue_url: str, function: str, message: dict) -> str | None:
    """Re-invoke the function with the message's event; delete the message once accepted. None
    when done, else why not."""
    try:
        answer = lambda_client.invoke(FunctionName=function, InvocationType="Event", Payload=message["Body"])
    except ClientError as error:
        return str(error)
    if answer["StatusCode"] != ACCEPTED:
        return f"Lambda answered {answer['StatusCode']}, not {ACCEPTED}"
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return None


def release(sqs, queue_url: str, messages: list[dict]) -> None:
    """Make messages visible again (those not redriven), ten per call."""
    for start in range(0, len(messages), 10):
        entries = [
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for n, m in enumerate(messages[start : start + 10])
        ]
        sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    with opened(args, reporter) as (_, clients):
        outputs = outputs_of(described(clients.cloudformation, args.stack_name))
        queue_url, function = outputs["DeadLetterQueueUrl"], outputs["LambdaFunctionName"]
        sqs = clients.client("sqs")
        messages = received(sqs, queue_url)
        pending = list(messages)
        try:
            letters = [dead_letter(message) for message in messages]
            if args.output == "json":
                reporter.say(json.dumps(letters, indent=2, ensure_ascii=False))
            elif letters:
                reporter.say(listed(letters))
            else:
                reporter.say(NO_DEAD_LETTERS_TO_REDRIVE.format(name=args.stack_name))
            if args.dry_run or not messages:
                return 0
            approve(args, reporter, function, len(messages))
            lambda_client = clients.client("lambda")
            failures = []
            try:
                for message, letter in zip(messages, letters, strict=True):
                    problem = redriven(lambda_client, sqs, queue_url, function, message)
                    if problem:
                        failures.append(f"{letter['RequestID'] or letter['messageId']}: {problem}")
                    else:
                        pending.remove(message)
            except KeyboardInterrupt as interruption:
                done = len(messages) - len(pending)
                raise RedriveInterrupted(args.stack_name, done, len(messages)) from interruption
        finally:
            release(sqs, queue_url, pending)
    if failures:
        raise RedriveIncomplete(args.stack_name, len(messages) - len(failures), failures)
    note = reporter.error if args.output == "json" else reporter.say
    note(REDRIVEN.format(count=len(messages), function=function))
    return 0
