"""Contracts: each gap of moto that an adapter closes is still there in plain moto, and the
internals the adapters replace still look as they did. When one of these fails, moto changed:
revisit the adapter named in the test before upgrading."""

from __future__ import annotations

import inspect
import json

import boto3
import moto
import pytest
from moto import mock_aws, settings
from moto.awslambda.models import LambdaFunction
from moto.cloudformation import parsing
from moto.cloudformation.custom_model import CustomModel
from moto.cloudformation.models import CloudFormationBackend
from moto.core.common_models import CloudFormationModel

from localcloud import adapters as localcloud_adapters
from tests.localcloud.stacks import zipped

BUCKET = "contract-bucket"


@pytest.fixture
def plain_moto(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield lambda service: boto3.client(service, region_name="us-east-1")


def create_stack(aws, resources: dict) -> str:
    return aws("cloudformation").create_stack(StackName="contract", TemplateBody=json.dumps({"Resources": resources}))[
        "StackId"
    ]


def test_the_pinned_moto_is_the_one_the_adapters_were_written_for():
    assert moto.__version__ == localcloud_adapters.MOTO_VERSION


def test_internals_the_adapters_replace_still_exist():
    assert list(inspect.signature(LambdaFunction._invoke_lambda).parameters) == ["self", "event"]
    for name in ["save_logs", "create_from_cloudformation_json"]:
        assert hasattr(LambdaFunction, name)
    assert list(inspect.signature(CustomModel.__init__).parameters) == [
        "self",
        "region_name",
        "request_id",
        "logical_id",
        "resource_name",
    ]
    assert hasattr(parsing.ResourceMap, "_ResourceMap__get_resources_in_dependency_order")
    assert list(inspect.signature(parsing.parse_and_create_resource).parameters) == [
        "logical_id",
        "resource_json",
        "resources_map",
        "account_id",
        "region_name",
    ]
    assert list(inspect.signature(CloudFormationBackend.execute_change_set).parameters) == [
        "self",
        "change_set_name",
        "stack_name",
    ]
    assert "AWS::S3::BucketPolicy" not in {m.cloudformation_type() for m in CloudFormationModel.__subclasses__()}


def test_gap_1_plain_moto_runs_lambda_code_only_in_docker(plain_moto):
    role = plain_moto("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    plain_moto("lambda").create_function(
        FunctionName="f",
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zipped({"app.py": "def handler(event, context):\n    return 1\n"})},
    )
    response = plain_moto("lambda").invoke(FunctionName="f", Payload=b"{}")
    assert response.get("FunctionError") and b"docker" in response["Payload"].read()


def test_gap_2_plain_moto_sends_custom_resources_to_docker_and_never_deletes_them():
    assert "host.docker.internal" in settings.moto_server_host()
    assert "delete" not in CustomModel.__dict__
    assert getattr(CustomModel.update_from_cloudformation_json, "__isabstractmethod__", False)


def test_gap_3_plain_moto_ignores_these_properties_and_has_no_bucket_policy(plain_moto):
    role = plain_moto("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    function = plain_moto("lambda").create_function(
        FunctionName="f",
        Runtime="python3.13",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": zipped({"app.py": ""})},
    )["FunctionArn"]
    create_stack(
        plain_moto,
        {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": BUCKET,
                    "NotificationConfiguration": {
                        "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": function}]
                    },
                    "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
                },
            },
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": BUCKET, "PolicyDocument": {"Version": "2012-10-17", "Statement": []}},
            },
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "TableName": "t",
                    "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                    "BillingMode": "PAY_PER_REQUEST",
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                },
            },
        },
    )
    s3 = plain_moto("s3")
    assert "LambdaFunctionConfigurations" not in s3.get_bucket_notification_configuration(Bucket=BUCKET)
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchPublicAccessBlockConfiguration"):
        s3.get_public_access_block(Bucket=BUCKET)
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=BUCKET)
    backups = plain_moto("dynamodb").describe_continuous_backups(TableName="t")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"


def test_gap_3_plain_moto_denies_every_upload_under_a_conditional_deny(plain_moto):
    s3 = plain_moto("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        ),
    )
    with pytest.raises(s3.exceptions.ClientError, match="Forbidden"):
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")


def test_gap_4_plain_moto_deletes_a_stack_whose_bucket_is_not_empty(plain_moto):
    stack_id = create_stack(plain_moto, {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}})
    plain_moto("s3").put_object(Bucket=BUCKET, Key="k", Body=b"x")
    plain_moto("cloudformation").delete_stack(StackName="contract")
    status = plain_moto("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    assert status == "DELETE_COMPLETE"  # AWS: DELETE_FAILED, the bucket is not empty


def test_gap_4_plain_moto_leaves_parameter_only_changes_out_of_a_change_set(plain_moto):
    template = json.dumps(
        {
            "Parameters": {"Retention": {"Type": "Number"}},
            "Resources": {
                "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": {"Ref": "Retention"}}}
            },
        }
    )
    cloudformation = plain_moto("cloudformation")
    cloudformation.create_stack(
        StackName="params", TemplateBody=template, Parameters=[{"ParameterKey": "Retention", "ParameterValue": "7"}]
    )
    change_set = cloudformation.create_change_set(
        StackName="params",
        ChangeSetName="c",
        ChangeSetType="UPDATE",
        TemplateBody=template,
        Parameters=[{"ParameterKey": "Retention", "ParameterValue": "14"}],
    )
    assert cloudformation.describe_change_set(ChangeSetName=change_set["Id"]).get("Changes", []) == []


def test_gap_4_plain_moto_deletes_a_retain_except_on_create_resource_with_the_stack(plain_moto):
    bucket = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate", "Properties": {"BucketName": BUCKET}}
    create_stack(plain_moto, {"Bucket": bucket})
    plain_moto("cloudformation").delete_stack(StackName="contract")
    assert BUCKET not in [b["Name"] for b in plain_moto("s3").list_buckets()["Buckets"]]  # AWS keeps it


def test_a_protected_table_cannot_be_deleted_so_the_table_stays_retain(plain_moto):
    """moto refuses DeleteTable on a table with deletion protection, as DynamoDB does; so does a
    CloudFormation rollback, which is why prod's table keeps DeletionPolicy Retain."""
    dynamodb = plain_moto("dynamodb")
    dynamodb.create_table(
        TableName="protected",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=True,
    )
    with pytest.raises(dynamodb.exceptions.ClientError, match="protected"):
        dynamodb.delete_table(TableName="protected")


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


def test_internals_the_identity_and_bucket_policy_adapters_replace_still_exist():
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.models import Role
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response
    from moto.sts.models import STSBackend
    from werkzeug.serving import ThreadedWSGIServer

    parameters = inspect.signature(ActionAuthenticatorMixin._authenticate_and_authorize_action).parameters
    assert list(parameters) == ["self", "iam_request_cls", "resource"]
    assert list(inspect.signature(FakeBucket.get_permission).parameters) == ["self", "action", "resource"]
    assert list(inspect.signature(S3Response._key_response).parameters) == ["self", "request", "full_url"]
    assert list(inspect.signature(STSBackend.assume_role).parameters) == [
        "self",
        "region_name",
        "role_session_name",
        "role_arn",
        "policy",
        "duration",
        "external_id",
    ]
    assert hasattr(STSBackend, "get_assumed_role_from_access_key")
    for name in [
        "create_from_cloudformation_json",
        "update_from_cloudformation_json",
        "delete_from_cloudformation_json",
    ]:
        assert name in Role.__dict__
    assert list(inspect.signature(ThreadedWSGIServer.finish_request).parameters) == [
        "self",
        "request",
        "client_address",
    ]
    assert list(inspect.signature(MotoRequestHandler.make_environ).parameters) == ["self"]


def test_gap_identity_plain_moto_lets_a_roles_credentials_do_anything(plain_moto):
    plain_moto("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    nothing_allowed = assumed_role_clients(
        plain_moto, [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]
    )
    nothing_allowed("dynamodb").put_item(TableName="t", Item={"k": {"S": "1"}})  # AWS: AccessDeniedException


def test_gap_identity_plain_moto_checks_dynamodb_against_no_table_and_denies_in_xml(plain_moto):
    from moto.core.authorization import enable_iam_authentication

    plain_moto("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table = "arn:aws:dynamodb:us-east-1:123456789012:table/t"
    role = assumed_role_clients(plain_moto, [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": table}])
    with enable_iam_authentication():
        with pytest.raises(plain_moto("dynamodb").exceptions.ClientError) as raised:
            role("dynamodb").put_item(TableName="t", Item={"k": {"S": "1"}})
    assert raised.value.response["Error"]["Code"] != "AccessDeniedException"  # AWS allows this request
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403  # AWS denies with 400


def test_gap_identity_plain_moto_cloudformation_role_drops_managed_policies_and_mangles_inline_ones(
    plain_moto, monkeypatch
):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    create_stack(
        plain_moto,
        {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "cfn-role",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                    "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                    "Policies": [{"PolicyName": "p", "PolicyDocument": document}],
                },
            }
        },
    )
    iam = plain_moto("iam")
    assert iam.list_attached_role_policies(RoleName="cfn-role")["AttachedPolicies"] == []
    answered = iam.get_role_policy(RoleName="cfn-role", PolicyName="p")["PolicyDocument"]
    assert answered == str(document)  # a Python repr, not the JSON document AWS answers


def test_gap_bucket_policy_plain_moto_ignores_principals_and_bucket_requests(plain_moto):
    s3 = plain_moto("s3")
    s3.create_bucket(Bucket=BUCKET)
    statements = [
        {"Effect": "Deny", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"},
    ]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    with pytest.raises(s3.exceptions.ClientError, match="Forbidden"):  # AWS: the service's statement is not ours
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    s3.list_objects_v2(Bucket=BUCKET)  # AWS: AccessDenied
