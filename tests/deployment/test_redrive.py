"""`uploadtrail redrive` with stubbed clients, for what the local cloud cannot be made to do:
Lambda refusing or not accepting an invocation (those messages stay, made visible again, exit 1),
a no at the prompt (every message made visible again), and a message that holds no S3 event."""

from __future__ import annotations

import io
import json
import sys

import pytest
from botocore.stub import ANY

from deployment.commands import main as uploadtrail
from tests.deployment.conftest import stack_answer

QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/dlq"
OUTPUTS = {"DeadLetterQueueUrl": QUEUE, "LambdaFunctionName": "fn-1"}
ARGS = ["redrive", "--endpoint", "http://localhost:1"]
EVENT = {"Records": [{"s3": {"bucket": {"name": "b"}, "object": {"key": "a+b.txt"}}}]}


def message(n: int, body: str = json.dumps(EVENT), request_id: str = "") -> dict:
    attributes = {"ErrorCode": {"DataType": "Number", "StringValue": "200"}}
    if request_id:
        attributes["RequestID"] = {"DataType": "String", "StringValue": request_id}
    return {
        "MessageId": f"m{n}",
        "ReceiptHandle": f"r{n}",
        "Body": body,
        "Attributes": {"SentTimestamp": "1800000000000"},
        "MessageAttributes": attributes,
    }


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ANY_RECEIVE = {
    "QueueUrl": QUEUE,
    "MaxNumberOfMessages": 10,
    "VisibilityTimeout": ANY,
    "WaitTimeSeconds": ANY,
    "MessageAttributeNames": ["All"],
    "AttributeNames": ["SentTimestamp"],
}


@pytest.fixture
def redrive_stubs(stack_clients):
    """The SQS and Lambda stubbers once the stack is answered; received(*messages) queues them."""
    stubs = stack_clients("sqs", "lambda")
    stubs["cloudformation"].add_response("describe_stacks", stack_answer(OUTPUTS), {"StackName": "uploadtrail-dev"})

    def received(*messages: dict) -> None:
        stubs["sqs"].add_response("receive_message", {"Messages": list(messages)}, ANY_RECEIVE)
        stubs["sqs"].add_response("receive_message", {}, ANY_RECEIVE)

    stubs["received"] = received
    return stubs


def released(stubs, *handles: str) -> None:
    entries = [{"Id": str(n), "ReceiptHandle": h, "VisibilityTimeout": 0} for n, h in enumerate(handles)]
    stubs["sqs"].add_response(
        "change_message_visibility_batch",
        {"Successful": [], "Failed": []},
        {
            "QueueUrl": QUEUE,
            "Entries": entries,
        },
    )


def test_messages_lambda_refuses_or_does_not_accept_stay_in_the_queue(redrive_stubs, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    redrive_stubs["received"](message(1, request_id="req-1"), message(2), message(3, request_id="req-3"))
    invoke = {"FunctionName": "fn-1", "InvocationType": "Event", "Payload": ANY}
    redrive_stubs["lambda"].add_client_error("invoke", "TooManyRequestsException", "slow down", 429, None, invoke)
    redrive_stubs["lambda"].add_response("invoke", {"StatusCode": 200}, invoke)
    redrive_stubs["lambda"].add_response("invoke", {"StatusCode": 202}, invoke)
    redrive_stubs["sqs"].add_response("delete_message", {}, {"QueueUrl": QUEUE, "ReceiptHandle": "r3"})
    released(redrive_stubs, "r1", "r2")
    assert uploadtrail.main(ARGS) == 1
    captured = capsys.readouterr()
    assert "s3://b/a b.txt" in captured.out and "Re-invoke fn-1 with the 3 event(s) above" in captured.out
    assert "redrove 1 dead letter(s) of stack uploadtrail-dev; these stay in the queue: req-1:" in captured.err
    assert "TooManyRequestsException" in captured.err and "m2: Lambda answered 200, not 202" in captured.err


def test_a_no_at_the_prompt_makes_every_message_visible_again(redrive_stubs, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    redrive_stubs["received"](message(1))
    released(redrive_stubs, "r1")
    assert uploadtrail.main(ARGS) == 1
    assert "not redriven: the dead letters of stack uploadtrail-dev stay in the queue." in capsys.readouterr().err


def test_a_dry_run_lists_a_message_without_an_s3_event_and_releases_it(redrive_stubs, capsys):
    redrive_stubs["received"](message(1, body="not json"), message(2, body='{"detail": 1}'))
    released(redrive_stubs, "r1", "r2")
    assert uploadtrail.main([*ARGS, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("2027-01-15T08:00:00Z  (no S3 object in the event)") == 2


def test_a_json_run_ends_with_its_note_on_stderr(redrive_stubs, capsys):
    redrive_stubs["received"](message(1, request_id="req-1"))
    redrive_stubs["lambda"].add_response(
        "invoke", {"StatusCode": 202}, {"FunctionName": "fn-1", "InvocationType": "Event", "Payload": ANY}
    )
    redrive_stubs["sqs"].add_response("delete_message", {}, {"QueueUrl": QUEUE, "ReceiptHandle": "r1"})
    assert uploadtrail.main([*ARGS, "--yes", "--output", "json"]) == 0
    captured = capsys.readouterr()
    (letter,) = json.loads(captured.out)
    assert letter["objects"] == ["s3://b/a b.txt"] and letter["RequestID"] == "req-1" and letter["ErrorMessage"] == ""
    assert "Re-invoked fn-1 with 1 event(s)" in captured.err


def test_ctrl_c_while_redriving_says_how_many_were_redriven_and_releases_the_rest(redrive_stubs, capsys):
    redrive_stubs["received"](message(1), message(2))
    invoke = {"FunctionName": "fn-1", "InvocationType": "Event", "Payload": ANY}
    redrive_stubs["lambda"].add_response("invoke", {"StatusCode": 202}, invoke)
    redrive_stubs["sqs"].add_response("delete_message", {}, {"QueueUrl": QUEUE, "ReceiptHandle": "r1"})
    released(redrive_stubs, "r2")
    lambda_client = redrive_stubs["lambda"].client

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    calls = iter([lambda_client.invoke, interrupted])
    lambda_client.invoke = lambda **kwargs: next(calls)(**kwargs)
    assert uploadtrail.main([*ARGS, "--yes"]) == 1
    err = capsys.readouterr().err
    assert "Interrupted: 1 of 2 dead letter(s) of stack uploadtrail-dev were redriven" in err
    assert "Traceback" not in err
