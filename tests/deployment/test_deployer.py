"""The change-set deployer against botocore's Stubber: every path a real CloudFormation can take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import ANY

from deployment.deployer import ChangeSet, Deployer, DeploymentFailed
from deployment.errors import (
    DeleteOnly,
    DestroyFailed,
    NotImplementedByTarget,
    RollbackFailed,
    RollbackHolds,
    RolledBackCreate,
    StackBusy,
)
from deployment.reporter import Reporter
from tests.deployment.conftest import Lines

STACK = "uploadtrail-dev"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/uploadtrail-dev/1"
CS_ID = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/uploadtrail-x/1"
NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture
def cloudformation(stubbed):
    return stubbed("cloudformation")


@pytest.fixture
def lines():
    return Lines()


def make(client, lines) -> Deployer:
    return Deployer(client, Reporter(out=lines), poll_seconds=0, sleep=lambda seconds: None)


def stack(status: str, outputs: list | None = None) -> dict:
    described = {"StackName": STACK, "StackId": STACK_ID, "StackStatus": status, "CreationTime": NOW}
    if outputs is not None:
        described["Outputs"] = outputs
    return {"Stacks": [described]}


def event(
    event_id: str, logical: str, status: str, reason: str | None = None, kind: str = "AWS::S3::Bucket", at: float = 0
) -> dict:
    found = {
        "StackId": STACK_ID,
        "EventId": event_id,
        "StackName": STACK,
        "LogicalResourceId": logical,
        "ResourceType": kind,
        "ResourceStatus": status,
        "Timestamp": NOW + timedelta(seconds=at),
    }
    if reason:
        found["ResourceStatusReason"] = reason
    return found


def resource(logical: str, status: str, reason: str | None = None, kind: str = "AWS::S3::Bucket") -> dict:
    found = {"LogicalResourceId": logical, "ResourceType": kind, "LastUpdatedTimestamp": NOW, "ResourceStatus": status}
    if reason:
        found["ResourceStatusReason"] = reason
    return found


def missing(stubber):
    stubber.add_client_error("describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist")


def prepare(client, lines, wait=True, continue_rollback=False, dry_run=False):
    return make(client, lines).prepare(STACK, wait=wait, continue_rollback=continue_rollback, dry_run=dry_run)


def test_no_stack_means_create(cloudformation, lines):
    client, stubber = cloudformation
    missing(stubber)
    assert prepare(client, lines) == ("CREATE", None)


@pytest.mark.parametrize(
    "status, kind",
    [("REVIEW_IN_PROGRESS", "CREATE"), ("CREATE_COMPLETE", "UPDATE"), ("UPDATE_ROLLBACK_COMPLETE", "UPDATE")],
)
def test_existing_stacks(cloudformation, lines, status, kind):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack(status))
    assert prepare(client, lines)[0] == kind


def test_other_errors_are_not_taken_for_a_missing_stack(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_client_error("describe_stacks", "Throttling", "Rate exceeded")
    with pytest.raises(client.exceptions.ClientError, match="Rate exceeded"):
        make(client, lines).stack(STACK)


STACK_EVENT = "AWS::CloudFormation::Stack"
FAILED_FIRST_CREATE = [
    event("e3", STACK, "ROLLBACK_COMPLETE", kind=STACK_EVENT),
    event("e2", "UploadsBucket", "DELETE_COMPLETE"),
    event("e1", STACK, "CREATE_IN_PROGRESS", kind=STACK_EVENT),
]
# LocalStack 4.14 ends a failed update in ROLLBACK_COMPLETE and rolls nothing back
# (cloudformation/engine/v2/change_set_model_executor.py): the create had completed, and the
# resources are as the update left them.
LOCALSTACK_FAILED_UPDATE = [
    event("e5", STACK, "ROLLBACK_COMPLETE", kind=STACK_EVENT),
    event("e4", "InvocationLoggerFunction", "UPDATE_FAILED", "boom", "AWS::Lambda::Function"),
    event("e3", STACK, "UPDATE_IN_PROGRESS", kind=STACK_EVENT),
    event("e2", STACK, "CREATE_COMPLETE", kind=STACK_EVENT),
    event("e1", STACK, "CREATE_IN_PROGRESS", kind=STACK_EVENT),
]
LOCALSTACK_LIVE = [
    resource("InvocationLogTable", "CREATE_COMPLETE", kind="AWS::DynamoDB::Table"),
    resource("InvocationLoggerFunction", "UPDATE_FAILED", kind="AWS::Lambda::Function"),
]


def rolled_back(stubber, events: list[dict], resources: list[dict]) -> None:
    """A ROLLBACK_COMPLETE stack, with what the deployer reads to decide whether it holds anything."""
    stubber.add_response("describe_stacks", stack("ROLLBACK_COMPLETE"))
    stubber.add_response("describe_stack_events", {"StackEvents": events}, {"StackName": STACK_ID})
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": resources}, {"StackName": STACK_ID})


def deleted(stubber, resources: list[dict]) -> None:
    """The delete of the stack, followed to DELETE_COMPLETE."""
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": resources})
    stubber.add_response("describe_stack_events", {"StackEvents": [event("e9", STACK, "ROLLBACK_COMPLETE")]})
    stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})
    stubber.add_response("describe_stacks", stack("DELETE_COMPLETE"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e10", STACK, "DELETE_COMPLETE", kind=STACK_EVENT),
                event("e9", STACK, "ROLLBACK_COMPLETE"),
            ]
        },
    )


NEVER_CREATED = resource("UploadsBucket", "CREATE_FAILED", "name taken")


def test_a_stack_left_in_rollback_complete_by_a_failed_first_create_is_deleted_then_created(cloudformation, lines):
    client, stubber = cloudformation
    gone = [resource("Queue", "DELETE_COMPLETE", kind="AWS::SQS::Queue"), NEVER_CREATED]
    rolled_back(stubber, FAILED_FIRST_CREATE, gone)
    deleted(stubber, gone)
    missing(stubber)
    assert prepare(client, lines) == ("CREATE", None)
    assert "ROLLBACK_COMPLETE after a failed first create: deleting it" in lines[0]
    assert "DELETE_COMPLETE" in lines[-1]


@pytest.mark.parametrize(
    "summary, live",
    [
        (resource("T", "DELETE_COMPLETE"), False),
        (NEVER_CREATED, False),
        (resource("T", "CREATE_FAILED") | {"PhysicalResourceId": "t-1"}, True),
        (resource("T", "CREATE_COMPLETE"), True),
        (resource("T", "UPDATE_COMPLETE"), True),
        (resource("T", "DELETE_SKIPPED"), True),
        (resource("T", "DELETE_FAILED"), True),
    ],
)
def test_a_resource_is_gone_only_when_deleted_or_never_created(summary, live):
    assert Deployer.is_live(summary) is live


@pytest.mark.parametrize("approval", [None, lambda holds: False], ids=["nobody asked", "nobody approved"])
def test_localstacks_failed_update_in_rollback_complete_is_never_deleted_unapproved(cloudformation, lines, approval):
    """Issue 17: the next deploy deleted it, with the table's data, without asking."""
    client, stubber = cloudformation
    rolled_back(stubber, LOCALSTACK_FAILED_UPDATE, LOCALSTACK_LIVE)
    with pytest.raises(RollbackHolds) as stop:
        make(client, lines).prepare(STACK, approve_delete=approval)
    assert stop.value == RollbackHolds(
        STACK,
        True,
        [
            "InvocationLogTable (AWS::DynamoDB::Table, CREATE_COMPLETE)",
            "InvocationLoggerFunction (AWS::Lambda::Function, UPDATE_FAILED)",
        ],
    )
    assert lines == []


@pytest.mark.parametrize(
    "events, resources, created, live",
    [
        (LOCALSTACK_FAILED_UPDATE, [], True, []),
        (FAILED_FIRST_CREATE, [resource("Kept", "DELETE_SKIPPED")], False, ["Kept (AWS::S3::Bucket, DELETE_SKIPPED)"]),
    ],
    ids=["a create completed, nothing listed", "a first create, a resource kept"],
)
def test_either_sign_alone_keeps_the_stack(cloudformation, lines, events, resources, created, live):
    client, stubber = cloudformation
    rolled_back(stubber, events, resources)
    with pytest.raises(RollbackHolds) as stop:
        prepare(client, lines)
    assert (stop.value.created, stop.value.live) == (created, live)


def test_a_dry_run_never_deletes_a_rollback_complete_stack_that_holds_something(cloudformation, lines):
    client, stubber = cloudformation
    rolled_back(stubber, LOCALSTACK_FAILED_UPDATE, LOCALSTACK_LIVE)
    with pytest.raises(RollbackHolds):
        make(client, lines).prepare(STACK, dry_run=True, approve_delete=lambda holds: True)


def test_an_approved_delete_of_a_rollback_complete_stack_that_holds_something_then_creates(cloudformation, lines):
    client, stubber = cloudformation
    rolled_back(stubber, LOCALSTACK_FAILED_UPDATE, LOCALSTACK_LIVE)
    deleted(stubber, LOCALSTACK_LIVE)
    missing(stubber)
    asked = []
    assert make(client, lines).prepare(STACK, approve_delete=lambda holds: asked.append(holds) or True) == (
        "CREATE",
        None,
    )
    assert asked[0].stack_name == STACK and "after a failed first create" not in "\n".join(lines)


BODY = {"TemplateBody": "{}"}


def add_create_change_set(stubber, kind="UPDATE"):
    stubber.add_response(
        "create_change_set",
        {"Id": CS_ID, "StackId": STACK_ID},
        {
            "StackName": STACK,
            "ChangeSetName": ANY,
            "ChangeSetType": kind,
            "TemplateBody": "{}",
            "Parameters": [{"ParameterKey": "CodeKey", "ParameterValue": "k"}],
            "Capabilities": ["CAPABILITY_IAM"],
        },
    )


CHANGES = [
    {
        "Type": "Resource",
        "ResourceChange": {"Action": "Add", "LogicalResourceId": "UploadsBucket", "ResourceType": "AWS::S3::Bucket"},
    },
    {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": "InvocationLoggerFunction",
            "ResourceType": "AWS::Lambda::Function",
            "Replacement": "False",
        },
    },
]


def test_a_change_set_is_polled_until_ready_and_shown(cloudformation, lines):
    client, stubber = cloudformation
    add_create_change_set(stubber)
    stubber.add_response("describe_change_set", {"Status": "CREATE_PENDING", "ChangeSetId": CS_ID})
    stubber.add_response("describe_change_set", {"Status": "CREATE_COMPLETE", "ChangeSetId": CS_ID, "Changes": CHANGES})
    change_set = make(client, lines).create_change_set(STACK, BODY, {"CodeKey": "k"}, "UPDATE")
    assert change_set == ChangeSet(CS_ID, STACK_ID, "UPDATE", CHANGES)
    assert Deployer.describe(change_set).splitlines() == [
        "Action  Logical ID                Type                   Replacement",
        "------  ------------------------  ---------------------  -----------",
        "Add     UploadsBucket             AWS::S3::Bucket        -",
        "Modify  InvocationLoggerFunction  AWS::Lambda::Function  False",
    ]


@pytest.mark.parametrize("kind", ["UPDATE", "CREATE"])
def test_an_empty_change_set_is_deleted_and_means_no_changes(cloudformation, lines, kind):
    client, stubber = cloudformation
    add_create_change_set(stubber, kind)
    stubber.add_response(
        "describe_change_set",
        {
            "Status": "FAILED",
            "StatusReason": (
                "The submitted information didn't contain changes. Submit different information to create a change set."
            ),
        },
    )
    stubber.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID})
    if kind == "CREATE":
        stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})
    assert make(client, lines).create_change_set(STACK, BODY, {"CodeKey": "k"}, kind) is None


def test_an_emulator_refusing_an_unchanged_template_means_no_changes(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_client_error("create_change_set", "ValidationError", "No updates are to be performed.")
    assert make(client, lines).create_change_set(STACK, BODY, {"CodeKey": "k"}, "UPDATE") is None


def test_other_create_errors_are_raised(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_client_error(
        "create_change_set", "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]"
    )
    with pytest.raises(client.exceptions.ClientError, match="CAPABILITY_NAMED_IAM"):
        make(client, lines).create_change_set(STACK, BODY, {"CodeKey": "k"}, "UPDATE")


def test_a_change_set_that_fails_for_another_reason_is_a_deployment_failure(cloudformation, lines):
    client, stubber = cloudformation
    add_create_change_set(stubber)
    stubber.add_response(
        "describe_change_set",
        {"Status": "FAILED", "StatusReason": "Template format error: Unresolved resource dependencies"},
    )
    stubber.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID})
    with pytest.raises(DeploymentFailed, match="could not be created: Template format error"):
        make(client, lines).create_change_set(STACK, BODY, {"CodeKey": "k"}, "UPDATE")


def test_execution_streams_new_events_oldest_first_once_each_and_reports_success(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stack_events", {"StackEvents": [event("old", STACK, "UPDATE_COMPLETE")]})
    stubber.add_response("execute_change_set", {}, {"ChangeSetName": CS_ID})
    stubber.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e2", "UploadsBucket", "UPDATE_IN_PROGRESS"),
                event("e1", STACK, "UPDATE_IN_PROGRESS", "User Initiated", "AWS::CloudFormation::Stack"),
                event("old", STACK, "UPDATE_COMPLETE"),
            ],
            "NextToken": "page-2",
        },
    )
    stubber.add_response("describe_stacks", stack("UPDATE_COMPLETE"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e4", STACK, "UPDATE_COMPLETE", kind="AWS::CloudFormation::Stack"),
                event("e3", "UploadsBucket", "UPDATE_COMPLETE"),
                event("e2", "UploadsBucket", "UPDATE_IN_PROGRESS"),
            ],
            "NextToken": "more",
        },
    )
    stubber.add_response(
        "describe_stack_events",
        {"StackEvents": [event("e1", STACK, "UPDATE_IN_PROGRESS"), event("old", STACK, "UPDATE_COMPLETE")]},
    )
    deployer = make(client, lines)
    change_set = ChangeSet(CS_ID, STACK_ID, "UPDATE", CHANGES[:1])
    deployer.finish(change_set, STACK, deployer.start(change_set))
    assert [line.split(" | ")[3:6] for line in lines] == [
        ["UPDATE_IN_PROGRESS", "AWS::CloudFormation::Stack", STACK],
        ["UPDATE_IN_PROGRESS", "AWS::S3::Bucket", "UploadsBucket"],
        ["UPDATE_COMPLETE", "AWS::S3::Bucket", "UploadsBucket"],
        ["UPDATE_COMPLETE", "AWS::CloudFormation::Stack", STACK],
    ]
    assert [line.split(" | ")[1] for line in lines] == ["0/1", "0/1", "1/1", "1/1"]
    assert lines[0].endswith("| User Initiated")


def test_the_elapsed_column_counts_from_the_first_event_by_cloudformations_clock(cloudformation, lines):
    """The events of a fast endpoint all arrive in one poll; their own timestamps still differ."""
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("CREATE_COMPLETE"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e3", STACK, "CREATE_COMPLETE", kind="AWS::CloudFormation::Stack", at=12.5),
                event("e2", "UploadsBucket", "CREATE_COMPLETE", at=5),
                event("e1", STACK, "CREATE_IN_PROGRESS", kind="AWS::CloudFormation::Stack"),
            ]
        },
    )
    make(client, lines).follow(STACK_ID, STACK, None, 1)
    assert [line.split(" | ")[2].strip() for line in lines] == ["0.0s", "5.0s", "12.5s"]


def test_a_failed_execution_reports_the_first_failure_that_is_not_a_cancellation(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_response("execute_change_set", {}, {"ChangeSetName": CS_ID})
    stubber.add_response("describe_stacks", stack("ROLLBACK_COMPLETE"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e5", STACK, "ROLLBACK_COMPLETE", kind="AWS::CloudFormation::Stack"),
                event("e4", "UploadsBucket", "CREATE_FAILED", "Resource creation cancelled"),
                event("e3", "InvocationLogTable", "CREATE_FAILED", "Table already exists", "AWS::DynamoDB::Table"),
                event("e2", "InvocationLogTable", "CREATE_IN_PROGRESS"),
            ]
        },
    )
    with pytest.raises(DeploymentFailed) as failure:
        deployer = make(client, lines)
        change_set = ChangeSet(CS_ID, STACK_ID, "CREATE", CHANGES)
        deployer.finish(change_set, STACK, deployer.start(change_set))
    assert str(failure.value) == "InvocationLogTable (AWS::DynamoDB::Table): Table already exists"


def test_without_a_failure_event_the_final_status_is_the_cause():
    assert (
        Deployer.root_cause("UPDATE_ROLLBACK_COMPLETE", [event("e", "X", "UPDATE_FAILED", "Resource update cancelled")])
        == "the stack ended in UPDATE_ROLLBACK_COMPLETE"
    )
    assert (
        Deployer.root_cause("DELETE_FAILED", [event("e", "X", "DELETE_FAILED")]) == "X (AWS::S3::Bucket): DELETE_FAILED"
    )


def test_discarding_an_update_keeps_the_stack(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID})
    make(client, lines).discard(ChangeSet(CS_ID, STACK_ID, "UPDATE", []))


def test_outputs(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("CREATE_COMPLETE", [{"OutputKey": "BucketName", "OutputValue": "b"}]))
    missing(stubber)
    deployer = make(client, lines)
    assert deployer.outputs(STACK) == {"BucketName": "b"}
    assert deployer.outputs(STACK) == {}


def test_destroy_returns_what_the_stack_kept(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": []})
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})
    stubber.add_response("describe_stacks", stack("DELETE_COMPLETE"))
    kept = event("e2", "InvocationLogTable", "DELETE_SKIPPED", kind="AWS::DynamoDB::Table")
    stubber.add_response(
        "describe_stack_events",
        {"StackEvents": [event("e3", STACK, "DELETE_COMPLETE", kind="AWS::CloudFormation::Stack"), kept]},
    )
    assert make(client, lines).destroy(stack("CREATE_COMPLETE")["Stacks"][0]) == [kept]


def test_a_failed_destroy_names_every_resource_that_failed_and_why(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response(
        "list_stack_resources", {"StackResourceSummaries": [resource("UploadsBucket", "CREATE_COMPLETE")]}
    )
    stubber.add_response("describe_stack_events", {"StackEvents": [event("e1", STACK, "CREATE_COMPLETE")]})
    stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})
    stubber.add_response("describe_stacks", stack("DELETE_FAILED"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e3", "UploadsBucket", "DELETE_FAILED", "The bucket you tried to delete is not empty"),
                event("e1", STACK, "CREATE_COMPLETE"),
            ]
        },
    )
    stubber.add_response(
        "list_stack_resources",
        {
            "StackResourceSummaries": [
                resource("UploadsBucket", "DELETE_FAILED", "The bucket you tried to delete is not empty"),
                resource("InvocationLogTable", "DELETE_FAILED", kind="AWS::DynamoDB::Table"),
                resource("InvocationLoggerRole", "DELETE_COMPLETE", kind="AWS::IAM::Role"),
            ]
        },
    )
    with pytest.raises(DestroyFailed) as failure:
        make(client, lines).destroy(stack("CREATE_COMPLETE")["Stacks"][0])
    assert failure.value.cause == (
        "UploadsBucket (AWS::S3::Bucket): The bucket you tried to delete is not empty; "
        "InvocationLogTable (AWS::DynamoDB::Table): DELETE_FAILED"
    )


def test_a_busy_stack_is_waited_for_with_progress_then_updated(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"))
    stubber.add_response("describe_stack_events", {"StackEvents": [event("e1", STACK, "UPDATE_IN_PROGRESS")]})
    stubber.add_response("describe_stacks", stack("UPDATE_COMPLETE"))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e2", STACK, "UPDATE_COMPLETE", kind="AWS::CloudFormation::Stack"),
                event("e1", STACK, "x"),
            ]
        },
    )
    stubber.add_response("describe_stacks", stack("UPDATE_COMPLETE"))
    kind, found = prepare(client, lines)
    assert kind == "UPDATE" and found["StackStatus"] == "UPDATE_COMPLETE"
    assert lines[0] == f"Stack {STACK} is UPDATE_IN_PROGRESS: waiting for CloudFormation to finish it."
    assert "UPDATE_COMPLETE | AWS::CloudFormation::Stack" in lines[1]


def test_a_busy_stack_with_no_wait_stops_with_the_command_to_follow_it(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"))
    with pytest.raises(StackBusy) as stop:
        prepare(client, lines, wait=False)
    assert stop.value == StackBusy(STACK, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")


def test_a_dry_run_never_deletes_a_stack_in_rollback_complete(cloudformation, lines):
    client, stubber = cloudformation
    rolled_back(stubber, FAILED_FIRST_CREATE, [])
    with pytest.raises(RolledBackCreate):
        prepare(client, lines, dry_run=True)


FAILED_TABLE = {"StackResourceSummaries": [resource("InvocationLogTable", "UPDATE_FAILED", "Table is being deleted")]}


@pytest.mark.parametrize("continue_rollback, dry_run", [(False, False), (True, True)])
def test_update_rollback_failed_names_the_cause_and_offers_to_continue(
    cloudformation, lines, continue_rollback, dry_run
):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("UPDATE_ROLLBACK_FAILED"))
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_response("list_stack_resources", FAILED_TABLE)
    with pytest.raises(RollbackFailed) as stop:
        prepare(client, lines, continue_rollback=continue_rollback, dry_run=dry_run)
    assert stop.value.cause.startswith("InvocationLogTable") and "Table is being deleted" in stop.value.cause


def continue_rollback_to(stubber, final: str):
    stubber.add_response("describe_stacks", stack("UPDATE_ROLLBACK_FAILED"))
    stubber.add_response("describe_stack_events", {"StackEvents": [event("e1", STACK, "UPDATE_ROLLBACK_FAILED")]})
    stubber.add_response("continue_update_rollback", {}, {"StackName": STACK_ID})
    stubber.add_response("describe_stacks", stack(final))
    stubber.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event("e3", STACK, final, kind="AWS::CloudFormation::Stack"),
                event("e2", "InvocationLogTable", "UPDATE_FAILED", "still locked", "AWS::DynamoDB::Table"),
                event("e1", STACK, "x"),
            ]
        },
    )


def test_continue_rollback_continues_then_updates(cloudformation, lines):
    client, stubber = cloudformation
    continue_rollback_to(stubber, "UPDATE_ROLLBACK_COMPLETE")
    stubber.add_response("describe_stacks", stack("UPDATE_ROLLBACK_COMPLETE"))
    assert prepare(client, lines, continue_rollback=True)[0] == "UPDATE"
    assert lines[0] == f"Continuing the rollback of stack {STACK}."


def test_continue_rollback_on_localstack_says_it_is_not_implemented(cloudformation, lines):
    """LocalStack 4.14 has no ContinueUpdateRollback: its skeleton answers InternalFailure, HTTP 501
    (localstack-core/localstack/aws/skeleton.py, on_not_implemented_error)."""
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("UPDATE_ROLLBACK_FAILED"))
    stubber.add_response("describe_stack_events", {"StackEvents": [event("e1", STACK, "UPDATE_ROLLBACK_FAILED")]})
    stubber.add_client_error(
        "continue_update_rollback",
        "InternalFailure",
        "API action 'ContinueUpdateRollback' for service 'cloudformation' not yet implemented or pro feature",
        http_status_code=501,
    )
    with pytest.raises(NotImplementedByTarget) as stop:
        prepare(client, lines, continue_rollback=True)
    assert stop.value == NotImplementedByTarget(STACK, "ContinueUpdateRollback")


def test_another_continue_rollback_error_is_raised(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack("UPDATE_ROLLBACK_FAILED"))
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_client_error("continue_update_rollback", "ValidationError", "not now", http_status_code=400)
    with pytest.raises(client.exceptions.ClientError, match="not now"):
        prepare(client, lines, continue_rollback=True)


def test_a_continued_rollback_that_fails_again_reports_why(cloudformation, lines):
    client, stubber = cloudformation
    continue_rollback_to(stubber, "UPDATE_ROLLBACK_FAILED")
    with pytest.raises(DeploymentFailed, match="InvocationLogTable .AWS::DynamoDB::Table.: still locked"):
        prepare(client, lines, continue_rollback=True)


@pytest.mark.parametrize("status", ["DELETE_FAILED", "ROLLBACK_FAILED"])
def test_a_stack_that_can_only_be_deleted_says_which_resources_failed(cloudformation, lines, status):
    client, stubber = cloudformation
    stubber.add_response("describe_stacks", stack(status))
    stubber.add_response(
        "describe_stack_events", {"StackEvents": [event("e2", "UploadsBucket", "DELETE_FAILED", "bucket not empty")]}
    )
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": []})
    with pytest.raises(DeleteOnly) as stop:
        prepare(client, lines)
    assert stop.value == DeleteOnly(STACK, status, "UploadsBucket (AWS::S3::Bucket): bucket not empty")


def test_a_change_set_interrupted_while_it_is_created_is_deleted(cloudformation, lines):
    client, stubber = cloudformation
    add_create_change_set(stubber, "CREATE")
    stubber.add_response("describe_change_set", {"Status": "CREATE_PENDING", "ChangeSetId": CS_ID})
    stubber.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID})
    stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})

    def interrupt(seconds):
        raise KeyboardInterrupt

    deployer = Deployer(client, Reporter(out=lines), poll_seconds=0, sleep=interrupt)
    with pytest.raises(KeyboardInterrupt):
        deployer.create_change_set(STACK, BODY, {"CodeKey": "k"}, "CREATE")


@pytest.mark.parametrize(
    "body, template",
    [
        ('{"Metadata": {"uploadtrail": {"profile": "prod"}}}', {"Metadata": {"uploadtrail": {"profile": "prod"}}}),
        ("Resources: {}", {}),
    ],
)
def test_the_deployed_template_is_read_back(cloudformation, lines, body, template):
    client, stubber = cloudformation
    stubber.add_response("get_template", {"TemplateBody": body}, {"StackName": STACK, "TemplateStage": "Original"})
    assert make(client, lines).deployed_template(STACK) == template


def test_a_failed_destroy_without_failed_resources_reports_the_root_cause(cloudformation, lines):
    client, stubber = cloudformation
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": []})
    stubber.add_response("describe_stack_events", {"StackEvents": []})
    stubber.add_response("delete_stack", {}, {"StackName": STACK_ID})
    stubber.add_response("describe_stacks", stack("DELETE_FAILED"))
    stubber.add_response(
        "describe_stack_events", {"StackEvents": [event("e2", "UploadsBucket", "DELETE_FAILED", "Access Denied")]}
    )
    stubber.add_response("list_stack_resources", {"StackResourceSummaries": []})
    with pytest.raises(DestroyFailed) as failed:
        make(client, lines).destroy(stack("CREATE_COMPLETE")["Stacks"][0])
    assert failed.value == DestroyFailed(STACK, "DELETE_FAILED", "UploadsBucket (AWS::S3::Bucket): Access Denied")
