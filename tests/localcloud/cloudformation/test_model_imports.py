"""localcloud/cloudformation/model_imports.py: a service outside this stack's template works as on
AWS (a template's resource of it, a parameter read from it, a call of its API) though its models
are not imported at the local cloud's start; every service moto's CloudFormation imports is needed
or deferred."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys

import boto3
import pytest
from moto.cloudformation import parsing

from deployment.aws_clients import DEFAULT_REGION as REGION
from localcloud import LOCAL_CREDENTIALS
from localcloud import server as localcloud
from localcloud.cloudformation import model_imports
from tests.localcloud.stacks import deploy, outputs


@pytest.fixture
def fresh_aws():
    """Clients of a local cloud of its own: no earlier test has used a deferred service in it."""
    with localcloud.running() as url:
        session = boto3.session.Session(region_name=REGION, **LOCAL_CREDENTIALS)
        yield lambda service: session.client(service, endpoint_url=url)


def test_a_stack_with_resources_of_services_outside_the_template_deploys(fresh_aws):
    template = {
        "Resources": {
            "Setting": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": "/uploadtrail/setting", "Type": "String", "Value": "on"},
            },
            "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "outside the template"}},
        },
        "Outputs": {"GroupId": {"Value": {"Fn::GetAtt": ["Group", "GroupId"]}}},
    }
    cloudformation = fresh_aws("cloudformation")
    cloudformation.create_stack(StackName="outside", TemplateBody=json.dumps(template))
    stack = cloudformation.describe_stacks(StackName="outside")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert fresh_aws("ssm").get_parameter(Name="/uploadtrail/setting")["Parameter"]["Value"] == "on"
    (group,) = fresh_aws("ec2").describe_security_groups(GroupIds=[outputs(stack)["GroupId"]])["SecurityGroups"]
    assert {"Key": "aws:cloudformation:logical-id", "Value": "Group"} in group["Tags"]


def test_an_api_call_of_a_service_outside_the_template_works_and_a_template_reads_its_parameter(fresh_aws):
    fresh_aws("ssm").put_parameter(Name="/uploadtrail/retention", Type="String", Value="7")
    template = {
        "Parameters": {
            "Retention": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/uploadtrail/retention"}
        },
        "Resources": {
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Retention"}}}
        },
        "Outputs": {"Retention": {"Value": {"Ref": "Retention"}}},
    }
    stack = deploy(fresh_aws, "reads-ssm", template)
    assert (stack["StackStatus"], outputs(stack)["Retention"]) == ("CREATE_COMPLETE", "7")


def test_the_start_imports_no_deferred_service_and_leaves_no_stand_in():
    code = (
        "import sys\n"
        "from localcloud.cloudformation import model_imports\n"
        "model_imports.import_cloudformation()\n"
        "import moto\n"
        "print(sorted(s for s in model_imports.DEFERRED if f'moto.{s}' in sys.modules or hasattr(moto, s)))\n"
    )
    found = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "['ecr', 'events', 'kinesis']"  # the needed services' models import these three


def test_every_service_moto_cloudformation_imports_is_needed_or_deferred():
    imported = {
        node.module.split(".")[1]
        for node in ast.walk(ast.parse(inspect.getsource(parsing)))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("moto.")
        if any(alias.name == "models" for alias in node.names)
    }
    assert sorted(imported - set(model_imports.NEEDED)) == sorted(model_imports.DEFERRED)
