"""localcloud/lambda_/function_configuration.py: a function's configuration answered as AWS
recorded it (LocalStack's parity snapshots): State, LastUpdateStatus, RevisionId, LoggingConfig,
RuntimeVersionConfig, Architectures from a template, no empty Layers."""

from __future__ import annotations

import uuid

import pytest

from tests.localcloud.stacks import ARTIFACTS, deploy, outputs, python_function_template

CREATING = {"State": "Pending", "StateReason": "The function is being created.", "StateReasonCode": "Creating"}
UPDATING = {
    "LastUpdateStatus": "InProgress",
    "LastUpdateStatusReason": "The function is being created.",
    "LastUpdateStatusReasonCode": "Creating",
}
SETTLED_KEYS = {"StateReason", "StateReasonCode", "LastUpdateStatusReason", "LastUpdateStatusReasonCode"}


@pytest.fixture
def created(aws, code_key):
    """A function made with CreateFunction (no Environment, no LoggingConfig): its create answer."""
    name = f"lifecycle-{uuid.uuid4().hex[:8]}"
    role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    return aws("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Handler="app.handler",
        Role=role,
        Code={"S3Bucket": ARTIFACTS, "S3Key": code_key},
        MemorySize=256,
        Timeout=5,
    )


def test_a_created_function_is_pending_then_active_with_a_new_revision(aws, created):
    """tests/aws/services/lambda_/test_lambda_api.py::TestLambdaFunction::test_function_lifecycle and
    tests/aws/services/lambda_/test_lambda.py::TestLambdaBaseFeatures::test_function_state"""
    assert {key: created[key] for key in CREATING} == CREATING
    assert "LastUpdateStatus" not in created and "Layers" not in created and "Environment" not in created
    name = created["FunctionName"]
    assert created["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}
    assert created["RuntimeVersionConfig"]["RuntimeVersionArn"].startswith("arn:aws:lambda:us-east-1::runtime:")
    uuid.UUID(created["RevisionId"])
    active = aws("lambda").get_function(FunctionName=name)["Configuration"]
    assert active["State"] == "Active" and active["LastUpdateStatus"] == "Successful"
    assert not SETTLED_KEYS & set(active) and active["RevisionId"] != created["RevisionId"]
    assert aws("lambda").get_function_configuration(FunctionName=name)["RevisionId"] == active["RevisionId"]


def test_an_update_is_in_progress_then_successful_each_with_a_new_revision(aws, created):
    """tests/aws/services/lambda_/test_lambda_api.py::TestLambdaFunction::test_function_lifecycle"""
    client, name = aws("lambda"), created["FunctionName"]
    active = client.get_function_configuration(FunctionName=name)["RevisionId"]
    updated = client.update_function_configuration(FunctionName=name, Description="Changed-Description")
    assert {key: updated[key] for key in UPDATING} == UPDATING and updated["State"] == "Active"
    done = client.get_function_configuration(FunctionName=name)
    assert done["LastUpdateStatus"] == "Successful" and not SETTLED_KEYS & set(done)
    assert len({active, updated["RevisionId"], done["RevisionId"]}) == 3
    code = client.get_function(FunctionName=name)["Code"]
    assert code["RepositoryType"] == "S3"


def test_logging_config_switches_format_and_merges_partial_updates(aws, created):
    """tests/aws/services/lambda_/test_lambda_api.py::TestLoggingConfig::test_advanced_logging_configuration_format_switch
    and ::test_function_partial_advanced_logging_configuration_update"""
    client, name = aws("lambda"), created["FunctionName"]
    group = f"/aws/lambda/{name}"
    json_config = client.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "JSON"})
    assert json_config["LoggingConfig"] == {
        "ApplicationLogLevel": "INFO",
        "LogFormat": "JSON",
        "LogGroup": group,
        "SystemLogLevel": "INFO",
    }
    debug = client.update_function_configuration(FunctionName=name, LoggingConfig={"ApplicationLogLevel": "DEBUG"})
    assert (
        debug["LoggingConfig"]["ApplicationLogLevel"] == "DEBUG" and debug["LoggingConfig"]["SystemLogLevel"] == "INFO"
    )
    text = client.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "Text"})
    assert text["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": group}
    moved = client.update_function_configuration(FunctionName=name, LoggingConfig={"LogGroup": "cool_lambda"})
    assert client.get_function_configuration(FunctionName=name)["LoggingConfig"] == {
        "LogFormat": "Text",
        "LogGroup": "cool_lambda",
    }
    assert moved["LoggingConfig"]["LogGroup"] == "cool_lambda"


def test_a_template_keeps_its_logging_config_and_architecture(aws, code_key):
    """tests/aws/services/cloudformation/resources/test_lambda.py::test_lambda_logging_config; an
    arm64 template answers arm64 (every create with Architectures=["arm64"] answers so)."""
    template = python_function_template(code_key)
    properties = template["Resources"]["Function"]["Properties"]
    properties.update({"LoggingConfig": {"LogFormat": "JSON"}, "Architectures": ["arm64"]})
    name = outputs(deploy(aws, "config-from-template", template))["FunctionName"]
    configuration = aws("lambda").get_function(FunctionName=name)["Configuration"]
    assert configuration["LoggingConfig"] == {
        "ApplicationLogLevel": "INFO",
        "LogFormat": "JSON",
        "LogGroup": f"/aws/lambda/{name}",
        "SystemLogLevel": "INFO",
    }
    assert configuration["Architectures"] == ["arm64"]
    assert configuration["State"] == "Active" and configuration["LastUpdateStatus"] == "Successful"
