"""Contracts: each gap of moto that an adapter closes is still there in plain moto, and the
internals the adapters replace still look as they did. When one of these fails, moto changed:
revisit the adapter named in the test before upgrading."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import boto3
import moto
import pytest
from moto import mock_aws, settings
from moto.cloudformation.custom_model import CustomModel

import localcloud
from localcloud import moto_internals
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
    assert moto.__version__ == moto_internals.MOTO_VERSION


def test_every_moto_internal_the_adapters_touch_is_still_there():
    assert moto_internals.problems() == []


def test_every_moto_import_of_the_local_cloud_is_in_the_list():
    listed = [internal.path for internal in moto_internals.INTERNALS]
    unlisted = []
    for source in sorted(Path(localcloud.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("moto"):
                for alias in node.names:
                    path = f"{node.module}.{alias.name}"
                    if not any(entry == path or entry.startswith(path + ".") for entry in listed):
                        unlisted.append(f"{source.name}: {path}")
    assert unlisted == [], "add these to localcloud/moto_internals.py"


def test_a_moved_internal_is_named_with_its_adapter(monkeypatch):
    moved = [
        moto_internals.Internal("moto.s3.notifications._gone", (), "s3_events"),
        moto_internals.Internal("nomoto.module.thing", (), "nobody"),
        moto_internals.Internal("moto.s3.notifications.send_event", ("account_id", "renamed"), "s3_events"),
    ]
    monkeypatch.setattr(moto_internals, "INTERNALS", moved)
    with pytest.raises(RuntimeError) as raised:
        moto_internals.check()
    message = str(raised.value)
    assert "written for moto 5.2.5" in message
    assert "moto.s3.notifications._gone (used by s3_events): moto.s3.notifications has no attribute _gone" in message
    assert "nomoto.module.thing (used by nobody): no module of nomoto.module.thing can be imported" in message
    assert "send_event (used by s3_events): parameters ('account_id', 'event_name')" in message


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


def test_gap_1_plain_moto_runs_lambda_code_only_in_docker(plain_moto):
    plain_function(plain_moto, "def handler(event, context):\n    return 1\n")
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


def function_with_dead_letter_queue(aws) -> str:
    """A failing function whose DeadLetterConfig names a queue; its name."""
    _, arn = queue_arn(aws, "dlq")
    return plain_function(
        aws, "def handler(event, context):\n    raise ValueError(event)\n", DeadLetterConfig={"TargetArn": arn}
    )


def test_gap_5_plain_moto_runs_an_event_invocation_at_once_and_drops_the_dead_letter_config(plain_moto):
    name = function_with_dead_letter_queue(plain_moto)
    assert "DeadLetterConfig" not in plain_moto("lambda").get_function_configuration(FunctionName=name)
    response = plain_moto("lambda").invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")
    assert response["StatusCode"] == 202 and b"docker" in response["Payload"].read()  # ran inside the request


def test_gap_5_plain_moto_has_no_event_invoke_config_resource(plain_moto):
    name = function_with_dead_letter_queue(plain_moto)
    create_stack(
        plain_moto,
        {
            "Config": {
                "Type": "AWS::Lambda::EventInvokeConfig",
                "Properties": {"FunctionName": name, "Qualifier": "$LATEST", "MaximumRetryAttempts": 0},
            }
        },
    )
    with pytest.raises(plain_moto("lambda").exceptions.ResourceNotFoundException):
        plain_moto("lambda").get_function_event_invoke_config(FunctionName=name)


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


def test_gap_6_plain_moto_sends_events_that_s3model_rejects_with_slashes_encoded(plain_moto):
    from aws_lambda_powertools.utilities.parser.models import S3Model
    from pydantic import ValidationError

    bucket, records = queued_events(plain_moto)
    plain_moto("s3").put_object(Bucket=bucket, Key="reports/a b.txt", Body=b"x")
    (record,) = records()
    assert not {"userIdentity", "requestParameters", "responseElements"} & set(record)
    assert "ownerIdentity" not in record["s3"]["bucket"] and "sequencer" not in record["s3"]["object"]
    assert record["s3"]["object"]["key"] == "reports%2Fa+b.txt"  # S3: reports/a+b.txt
    with pytest.raises(ValidationError):
        S3Model.model_validate({"Records": [record]})


def test_gap_6_plain_moto_sends_two_events_for_one_multipart_upload(plain_moto):
    bucket, records = queued_events(plain_moto)
    s3 = plain_moto("s3")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"x")["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}
    )
    assert [record["eventName"] for record in records()] == [
        "ObjectCreated:Put",
        "ObjectCreated:CompleteMultipartUpload",
    ]
