"""localcloud/cloudformation/template_parsing.py: a JSON template and a YAML one with short-form
tags deploy the same resources and outputs, through CreateStack and change sets alike; a malformed
body is refused as before."""

from __future__ import annotations

import json
import re

import boto3
import pytest
import yaml
import yaml.reader
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from localcloud import LOCAL_CREDENTIALS
from localcloud.cloudformation import template_parsing
from tests.localcloud.conftest import REGION

SHORT_FORM = """
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${AWS::StackName}-topic"
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub
        - "/uploadtrail/${Name}"
        - Name: !Ref AWS::StackName
Outputs:
  QueueUrl:
    Value: !Ref Queue
  QueueArn:
    Value: !GetAtt Queue.Arn
  TopicName:
    Value: !GetAtt Topic.TopicName
  Group:
    Value: !Join ["-", [!Ref Group, !Select [0, [!Ref "AWS::Region"]]]]
"""
LONG_FORM = {
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue"},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${AWS::StackName}-topic"}}},
        "Group": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": {"Fn::Sub": ["/uploadtrail/${Name}", {"Name": {"Ref": "AWS::StackName"}}]}},
        },
    },
    "Outputs": {
        "QueueUrl": {"Value": {"Ref": "Queue"}},
        "QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}},
        "TopicName": {"Value": {"Fn::GetAtt": ["Topic", "TopicName"]}},
        "Group": {"Value": {"Fn::Join": ["-", [{"Ref": "Group"}, {"Fn::Select": [0, [{"Ref": "AWS::Region"}]]}]]}},
    },
}
MALFORMED = ["{", "Resources: [", "a: b\n\tc: d"]


@pytest.fixture
def cloudformation(endpoint):
    """A CloudFormation client that takes the first answer (no retries of a 500)."""
    session = boto3.session.Session(region_name=REGION, **LOCAL_CREDENTIALS)
    return session.client("cloudformation", endpoint_url=endpoint, config=Config(retries={"total_max_attempts": 1}))


def without_random_suffixes(found: dict) -> dict:
    """found with the random suffix of each generated name (NAME-Queue-<suffix>) written as SUFFIX."""
    return json.loads(re.sub(r"(NAME-[A-Za-z]+)-[A-Z0-9]{12}\b", r"\1-SUFFIX", json.dumps(found)))


def deployed(cloudformation, stack_name: str, body: str, through_change_set: bool) -> dict:
    """The stack's resources (logical id to type) and outputs (its name written as NAME)."""
    if through_change_set:
        cloudformation.create_change_set(
            StackName=stack_name, ChangeSetName="create", TemplateBody=body, ChangeSetType="CREATE"
        )
        changes = cloudformation.describe_change_set(StackName=stack_name, ChangeSetName="create")["Changes"]
        assert sorted(change["ResourceChange"]["LogicalResourceId"] for change in changes) == sorted(
            LONG_FORM["Resources"]
        )
        cloudformation.execute_change_set(StackName=stack_name, ChangeSetName="create")
    else:
        cloudformation.create_stack(StackName=stack_name, TemplateBody=body)
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    resources = cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    cloudformation.delete_stack(StackName=stack_name)
    return {
        "status": stack["StackStatus"],
        "resources": {resource["LogicalResourceId"]: resource["ResourceType"] for resource in resources},
        "outputs": {
            output["OutputKey"]: output["OutputValue"].replace(stack_name, "NAME") for output in stack["Outputs"]
        },
    }


@pytest.mark.parametrize("through_change_set", [False, True], ids=["create-stack", "change-set"])
def test_a_yaml_template_with_short_forms_deploys_as_its_json_form(cloudformation, through_change_set):
    from_yaml = deployed(cloudformation, "short-form", SHORT_FORM, through_change_set)
    from_json = deployed(cloudformation, "long-form", json.dumps(LONG_FORM), through_change_set)
    assert without_random_suffixes(from_yaml) == without_random_suffixes(from_json)
    assert from_yaml["status"] == "CREATE_COMPLETE"
    assert from_yaml["outputs"]["QueueArn"].rsplit(":", 1)[1] == from_yaml["outputs"]["QueueUrl"].rsplit("/", 1)[1]
    assert from_yaml["outputs"]["Group"] == f"/uploadtrail/NAME-{REGION}"


def test_the_short_forms_read_as_their_long_forms():
    assert template_parsing.parsed(SHORT_FORM) == LONG_FORM


def test_libyamls_loader_reads_the_yaml_when_pyyaml_has_it():
    assert issubclass(template_parsing.TemplateLoader, getattr(yaml, "CLoader", yaml.Loader))


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_body_is_refused(cloudformation, body):
    with pytest.raises(ResponseParserError, match="500 Internal Server Error"):
        cloudformation.create_stack(StackName="malformed", TemplateBody=body)
    with pytest.raises(ClientError, match="does not exist"):
        cloudformation.describe_stacks(StackName="malformed")
    with pytest.raises(ResponseParserError, match="500 Internal Server Error"):
        cloudformation.create_change_set(
            StackName="malformed-change-set", ChangeSetName="create", TemplateBody=body, ChangeSetType="CREATE"
        )
    cloudformation.delete_stack(StackName="malformed-change-set")
