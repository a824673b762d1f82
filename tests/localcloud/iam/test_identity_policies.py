"""Function code is held to its execution role's policies, as on AWS: requests signed with the
role's credentials are checked against its inline and managed policies, with real resource ARNs,
and denied in the service's own shape; the deploy tool's own credentials keep full access."""

from __future__ import annotations

import json
import re
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from generator.config import PROFILES
from generator.template import build_template
from tests.localcloud.conftest import REGION
from tests.localcloud.stacks import code_parameters, deploy, outputs, python_function_template, upload_code, zipped

ACCOUNT = "123456789012"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def role_session(aws, statements: list[dict], managed: tuple[str, ...] = ()):
    """A client factory signed with credentials of a new role holding these statements, as a
    function's would be."""
    iam = aws("iam")
    name = f"role-{uuid.uuid4().hex[:8]}"
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    if statements:
        iam.put_role_policy(
            RoleName=name, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements})
        )
    for policy in managed:
        iam.attach_role_policy(RoleName=name, PolicyArn=policy)
    credentials = aws("sts").assume_role(RoleArn=arn, RoleSessionName="my-function")["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )
    endpoint = aws("s3").meta.endpoint_url
    return lambda service: session.client(service, endpoint_url=endpoint)


def table(aws, index: bool = False) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    attributes = [{"AttributeName": "k", "AttributeType": "S"}]
    extra = {}
    if index:
        attributes.append({"AttributeName": "v", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [
            {
                "IndexName": "byv",
                "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    aws("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=attributes,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return name


def table_arn(name: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"


def allow(actions, resources) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def denied(call) -> dict:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response


def item(key: str) -> dict:
    return {"k": {"S": key}, "v": {"S": "x"}}


def test_a_put_on_a_table_the_role_does_not_name_is_denied_as_dynamodb_denies_it(aws):
    allowed, other = table(aws), table(aws)
    dynamodb = role_session(aws, [allow("dynamodb:PutItem", table_arn(allowed))])("dynamodb")
    dynamodb.put_item(TableName=allowed, Item=item("1"))
    response = denied(lambda: dynamodb.put_item(TableName=other, Item=item("1")))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert re.fullmatch(
        rf"User: arn:aws:sts::{ACCOUNT}:assumed-role/role-\w+/my-function is not authorized to perform: "
        rf"dynamodb:PutItem on resource: {table_arn(other)} because no identity-based policy allows the "
        r"dynamodb:PutItem action",
        response["Error"]["Message"],
    )
    assert "Item" not in aws("dynamodb").get_item(TableName=other, Key={"k": {"S": "1"}})


def test_an_explicit_deny_beats_an_allow_and_says_so(aws):
    name = table(aws)
    dynamodb = role_session(
        aws,
        [allow("dynamodb:*", "*"), {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": table_arn(name)}],
    )("dynamodb")
    dynamodb.put_item(TableName=name, Item=item("1"))
    message = denied(lambda: dynamodb.delete_item(TableName=name, Key={"k": {"S": "1"}}))["Error"]["Message"]
    assert message.endswith("with an explicit deny in an identity-based policy")


def test_batch_and_transactional_writes_are_checked_per_table_and_item(aws):
    first, second = table(aws), table(aws)
    dynamodb = role_session(aws, [allow(["dynamodb:BatchWriteItem", "dynamodb:PutItem"], table_arn(first))])("dynamodb")
    dynamodb.batch_write_item(RequestItems={first: [{"PutRequest": {"Item": item("1")}}]})
    response = denied(
        lambda: dynamodb.batch_write_item(
            RequestItems={first: [{"PutRequest": {"Item": item("2")}}], second: [{"PutRequest": {"Item": item("2")}}]}
        )
    )
    assert f"dynamodb:BatchWriteItem on resource: {table_arn(second)}" in response["Error"]["Message"]
    dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": first, "Item": item("3")}}])
    response = denied(
        lambda: dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": first, "Item": item("4")}},
                {"Delete": {"TableName": first, "Key": {"k": {"S": "1"}}}},
            ]
        )
    )
    assert f"dynamodb:DeleteItem on resource: {table_arn(first)}" in response["Error"]["Message"]


def test_a_query_of_an_index_needs_the_index_arn(aws):
    name = table(aws, index=True)
    dynamodb = role_session(aws, [allow("dynamodb:Query", f"{table_arn(name)}/index/byv")])("dynamodb")
    query = {"KeyConditionExpression": "v = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}
    dynamodb.query(TableName=name, IndexName="byv", **query)
    denied(
        lambda: dynamodb.query(
            TableName=name, KeyConditionExpression="k = :k", ExpressionAttributeValues={":k": {"S": "1"}}
        )
    )


def test_s3_checks_object_arns_each_deleted_object_and_the_copy_source(aws):
    bucket = f"b-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=bucket)
    for key in ("in/a", "out/a"):
        aws("s3").put_object(Bucket=bucket, Key=key, Body=b"x")
    s3 = role_session(
        aws,
        [
            allow(["s3:PutObject", "s3:DeleteObject"], f"arn:aws:s3:::{bucket}/out/*"),
            allow("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
        ],
    )("s3")
    s3.put_object(Bucket=bucket, Key="out/b", Body=b"x")
    assert denied(lambda: s3.put_object(Bucket=bucket, Key="in/b", Body=b"x"))["Error"]["Code"] == "AccessDenied"
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 3
    assert denied(lambda: s3.get_object(Bucket=bucket, Key="out/a"))["Error"]["Code"] == "AccessDenied"
    denied(lambda: s3.copy_object(Bucket=bucket, Key="out/c", CopySource={"Bucket": bucket, "Key": "in/a"}))
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "out/a"}, {"Key": "in/a"}]})
    assert [(e["Key"], e["Code"]) for e in result["Errors"]] == [("in/a", "AccessDenied")]
    assert [d["Key"] for d in result["Deleted"]] == ["out/a"]
    assert [o["Key"] for o in aws("s3").list_objects_v2(Bucket=bucket)["Contents"]] == ["in/a", "out/b"]


def test_sqs_checks_the_queue_arn(aws):
    allowed = aws("sqs").create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    other = aws("sqs").create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = aws("sqs").get_queue_attributes(QueueUrl=allowed, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs = role_session(aws, [allow("sqs:SendMessage", arn)])("sqs")
    sqs.send_message(QueueUrl=allowed, MessageBody="m")
    assert "AccessDenied" in denied(lambda: sqs.send_message(QueueUrl=other, MessageBody="m"))["Error"]["Code"]


def test_managed_policies_count_and_the_deploy_tools_credentials_keep_full_access(aws):
    session = role_session(aws, [], managed=(BASIC_EXECUTION,))
    session("logs").create_log_group(logGroupName=f"/aws/lambda/{uuid.uuid4().hex[:8]}")
    name = table(aws)
    denied(lambda: session("dynamodb").put_item(TableName=name, Item=item("1")))
    aws("dynamodb").put_item(TableName=name, Item=item("1"))


CALLER = """
import os, boto3

def handler(event, context):
    arn = boto3.client("sts").get_caller_identity()["Arn"]
    return {"arn": arn, "key": os.environ["AWS_ACCESS_KEY_ID"]}
"""


def test_a_function_runs_with_its_roles_credentials_minted_once(aws):
    key = upload_code(aws, zipped({"app.py": CALLER}))
    template = python_function_template(key)
    template["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"] = TRUST
    name = outputs(deploy(aws, f"caller-{uuid.uuid4().hex[:8]}", template))["FunctionName"]
    answers = [json.loads(aws("lambda").invoke(FunctionName=name)["Payload"].read()) for _ in range(2)]
    role_name = aws("lambda").get_function_configuration(FunctionName=name)["Role"].split("/")[-1]
    assert answers[0]["arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/{name}"
    assert answers[0]["key"] == answers[1]["key"] != "test"


def deployed_stack(aws, strip_put_item: bool) -> tuple[str, str]:
    """The dev stack with the real package (optionally with a role lacking dynamodb:PutItem);
    its function and table names."""
    template = build_template(PROFILES["dev"]).to_dict()
    if strip_put_item:
        policy = template["Resources"]["InvocationLoggerRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        policy["Statement"] = [s for s in policy["Statement"] if "dynamodb:PutItem" not in s["Action"]]
    stack = deploy(aws, f"roles-{uuid.uuid4().hex[:8]}", template, code_parameters(aws, template))
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    values = outputs(stack)
    return values["LambdaFunctionName"], values["DynamoDBTableName"]


def s3_event(bucket: str) -> dict:
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": REGION,
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-12-01T20:31:45.123Z",
        "s3": {"bucket": {"name": bucket}, "object": {"key": "a.txt", "size": 1}},
    }
    return {"Records": [record]}


def test_the_stacks_own_role_lets_its_function_log_the_upload(aws):
    function, table_name = deployed_stack(aws, strip_put_item=False)
    response = aws("lambda").invoke(FunctionName=function, Payload=json.dumps(s3_event("b")).encode())
    assert "FunctionError" not in response, response["Payload"].read()
    assert aws("dynamodb").scan(TableName=table_name)["Count"] == 1


def test_a_role_without_put_item_on_the_table_fails_the_invocation_as_on_aws(aws):
    function, table_name = deployed_stack(aws, strip_put_item=True)
    response = aws("lambda").invoke(FunctionName=function, Payload=json.dumps(s3_event("b")).encode())
    payload = response["Payload"].read().decode()
    assert response.get("FunctionError")
    assert "AccessDeniedException" in payload and f"dynamodb:PutItem on resource: {table_arn(table_name)}" in payload
    assert aws("dynamodb").scan(TableName=table_name)["Count"] == 0


def role_template(statement_action: str, managed: list[str]) -> dict:
    document = {"Version": "2012-10-17", "Statement": [allow(statement_action, "*")]}
    return {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": TRUST,
                    "ManagedPolicyArns": managed,
                    "Policies": [{"PolicyName": statement_action.replace(":", "-"), "PolicyDocument": document}],
                },
            }
        },
        "Outputs": {"RoleName": {"Value": {"Ref": "Role"}}},
    }


def test_a_stacks_role_keeps_its_managed_and_inline_policies_in_step_and_is_deleted(aws):
    iam, stack_name = aws("iam"), f"role-{uuid.uuid4().hex[:8]}"
    role = outputs(deploy(aws, stack_name, role_template("s3:GetObject", [BASIC_EXECUTION])))["RoleName"]
    assert iam.get_role_policy(RoleName=role, PolicyName="s3-GetObject")["PolicyDocument"]["Statement"] == [
        allow("s3:GetObject", "*")
    ]
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [BASIC_EXECUTION]
    stack = deploy(aws, stack_name, role_template("s3:PutObject", []))
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["s3-PutObject"]
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    deploy(aws, stack_name, role_template("s3:PutObject", [BASIC_EXECUTION]))
    aws("cloudformation").delete_stack(StackName=stack_name)
    status = aws("cloudformation").describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"]
    assert status == "DELETE_COMPLETE"
    with pytest.raises(ClientError, match="NoSuchEntity"):
        iam.get_role(RoleName=role)


def test_a_presigned_url_carries_the_roles_permissions(aws):
    import urllib.error
    import urllib.request

    bucket = f"b-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=bucket)
    for key in ("open/k", "closed/k"):
        aws("s3").put_object(Bucket=bucket, Key=key, Body=b"x")
    s3 = role_session(aws, [allow("s3:GetObject", f"arn:aws:s3:::{bucket}/open/*")])("s3")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "open/k"})
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"x"
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "closed/k"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(url)
    assert raised.value.code == 403 and b"AccessDenied" in raised.value.read()


def test_requests_on_no_particular_resource_are_checked_against_star(aws):
    session = role_session(aws, [allow("dynamodb:ListTables", "*")])
    session("dynamodb").list_tables()
    assert denied(lambda: session("s3").list_buckets())["Error"]["Code"] == "AccessDenied"
    response = denied(lambda: session("iam").list_roles())
    assert response["Error"]["Code"] == "AccessDenied" and response["ResponseMetadata"]["HTTPStatusCode"] == 403
