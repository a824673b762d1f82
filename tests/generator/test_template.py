"""What each profile's template declares: every seed property and every extra, found by type."""

import pytest

from generator import __version__
from generator.naming import UPLOAD_BUCKET_NAME
from generator.storage import AUTO_DELETE_TAG
from generator.table import OBJECT_KEY_INDEX
from tests.generator.assertions import only, resources

BUCKET_ARN = {"Fn::Sub": "arn:${AWS::Partition}:s3:::" + UPLOAD_BUCKET_NAME}
PROFILES = ["dev", "prod"]


def test_version_is_in_description_and_metadata(rendered):
    for name, template in rendered.items():
        assert f"uploadtrail {__version__} ({name})" in template["Description"]
        assert template["Metadata"]["uploadtrail"] == {"version": __version__, "profile": name}


@pytest.mark.parametrize("profile", PROFILES)
def test_table_keys_billing_recovery_and_encryption(rendered, profile):
    _, table = only(
        rendered[profile],
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [
                {"AttributeName": "requestId", "KeyType": "HASH"},
                {"AttributeName": "timestamp", "KeyType": "RANGE"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        },
    )
    attributes = table["Properties"]["AttributeDefinitions"]
    assert sorted((a["AttributeName"], a["AttributeType"]) for a in attributes) == [
        ("objectKey", "S"),
        ("requestId", "S"),
        ("timestamp", "S"),
    ]


@pytest.mark.parametrize("profile", PROFILES)
def test_one_objects_history_is_a_query_of_the_object_key_index(rendered, profile):
    template = rendered[profile]
    _, table = only(template, "AWS::DynamoDB::Table")
    (index,) = table["Properties"]["GlobalSecondaryIndexes"]
    assert index == {
        "IndexName": OBJECT_KEY_INDEX,
        "KeySchema": [
            {"AttributeName": "objectKey", "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }  # on-demand: no ProvisionedThroughput
    assert template["Outputs"]["ObjectKeyIndexName"]["Value"] == OBJECT_KEY_INDEX


def test_dev_destroys_data_and_prod_retains_it(dev, prod):
    for name, resource in dev["Resources"].items():
        assert resource.get("DeletionPolicy", "Delete") == "Delete", name
        assert resource.get("UpdateReplacePolicy", "Delete") == "Delete", name
    kept = {
        name: (resource["DeletionPolicy"], resource["UpdateReplacePolicy"])
        for name, resource in prod["Resources"].items()
        if resource.get("DeletionPolicy", "Delete") != "Delete"
    }
    # RetainExceptOnCreate: a failed first create deletes them, so the retry can reuse the bucket
    # name; only the table stays Retain, since CloudFormation cannot delete a protected table.
    assert kept == {
        "UploadsBucket": ("RetainExceptOnCreate", "Retain"),
        "AccessLogBucket": ("RetainExceptOnCreate", "Retain"),
        "DataEncryptionKey": ("RetainExceptOnCreate", "Retain"),
        "InvocationLogTable": ("Retain", "Retain"),
    }
    _, table = only(prod, "AWS::DynamoDB::Table")
    assert table["Properties"]["DeletionProtectionEnabled"] is True


@pytest.mark.parametrize("profile", PROFILES)
def test_reserved_concurrency_is_a_parameter_that_can_be_left_empty(rendered, profile):
    template = rendered[profile]
    parameter = template["Parameters"]["ReservedConcurrency"]
    assert parameter["Type"] == "String" and parameter["AllowedPattern"] == "^[0-9]*$"
    assert parameter["Default"] == {"dev": "", "prod": "50"}[profile]
    reference = {"Ref": "ReservedConcurrency"}
    assert template["Conditions"]["HasReservedConcurrency"] == {
        "Fn::And": [{"Fn::Not": [{"Fn::Equals": [reference, ""]}]}, {"Fn::Not": [{"Fn::Equals": [reference, "0"]}]}]
    }
    _, logger = only(template, "AWS::Lambda::Function", {"Handler": "function.handler.handler"})
    assert logger["Properties"]["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", reference, {"Ref": "AWS::NoValue"}]
    }


def test_prod_expires_old_versions_and_old_access_logs(prod):
    from generator.config import PROFILES as SETTINGS

    settings = SETTINGS["prod"]
    rules = {
        name: bucket["Properties"]["LifecycleConfiguration"]["Rules"]
        for name, bucket in resources(prod, "AWS::S3::Bucket").items()
    }
    assert set(rules) == {"UploadsBucket", "AccessLogBucket"}
    for name, (rule,) in rules.items():
        assert rule["Status"] == "Enabled", name
        assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": settings.noncurrent_version_days}, name
        assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}, name
    assert rules["AccessLogBucket"][0]["ExpirationInDays"] == settings.access_log_days
    assert rules["UploadsBucket"][0]["ExpirationInDays"] == {"Ref": "AWS::NoValue"}  # uploads are kept


def test_prod_upload_bucket_logs_only_once_the_log_bucket_accepts_deliveries(prod):
    _, upload = only(prod, "AWS::S3::Bucket", {"BucketName": {"Fn::Sub": UPLOAD_BUCKET_NAME}})
    policy_id, _ = only(prod, "AWS::S3::BucketPolicy", {"Bucket": {"Ref": "AccessLogBucket"}})
    assert upload["DependsOn"] == ["InvocationLoggerInvokePermission", policy_id]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_bucket_is_private_encrypted_and_acl_free(rendered, profile):
    buckets = resources(rendered[profile], "AWS::S3::Bucket")
    assert buckets
    for name, bucket in buckets.items():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        rule = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", name
        assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}], name


@pytest.mark.parametrize("profile", PROFILES)
def test_every_bucket_policy_denies_plain_http_and_old_tls(rendered, profile):
    template = rendered[profile]
    policies = resources(template, "AWS::S3::BucketPolicy")
    assert {p["Properties"]["Bucket"]["Ref"] for p in policies.values()} == set(resources(template, "AWS::S3::Bucket"))
    for policy in policies.values():
        denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        conditions = [s["Condition"] for s in denies]
        assert {"Bool": {"aws:SecureTransport": "false"}} in conditions
        assert {"NumericLessThan": {"s3:TlsVersion": "1.2"}} in conditions
        for statement in denies:
            assert statement["Principal"] == {"AWS": "*"}
            assert len(statement["Resource"]) == 2  # the bucket and its objects


@pytest.mark.parametrize("profile", PROFILES)
def test_uploads_notify_the_logger_without_a_dependency_cycle(rendered, profile):
    template = rendered[profile]
    bucket_id, bucket = only(template, "AWS::S3::Bucket", {"BucketName": {"Fn::Sub": UPLOAD_BUCKET_NAME}})
    function_id, _ = only(template, "AWS::Lambda::Function", {"Handler": "function.handler.handler"})
    assert bucket["Properties"]["NotificationConfiguration"] == {
        "LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": [function_id, "Arn"]}}]
    }
    permission_id, _ = only(
        template,
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": [function_id, "Arn"]},
            "Principal": "s3.amazonaws.com",
            "SourceArn": BUCKET_ARN,
            "SourceAccount": {"Ref": "AWS::AccountId"},
        },
    )
    assert permission_id in bucket["DependsOn"]


@pytest.mark.parametrize("profile", PROFILES)
def test_logger_function(rendered, profile):
    template = rendered[profile]
    function_id, function = only(template, "AWS::Lambda::Function", {"Handler": "function.handler.handler"})
    properties = function["Properties"]
    runtime = properties["Runtime"]
    assert runtime.startswith("python3.") and int(runtime.split(".")[1]) >= 12
    assert properties["Architectures"] == [{"Ref": "FunctionArchitecture"}]
    assert properties["Code"] == {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "LoggerCodeKey"}}
    table_id, _ = only(template, "AWS::DynamoDB::Table")
    assert properties["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": table_id}
    queue_id, queue = only(template, "AWS::SQS::Queue")
    assert properties["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}}
    queue_properties = queue["Properties"]
    assert queue_properties.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue_properties
    logging = properties["LoggingConfig"]
    assert logging["LogFormat"] == "JSON"
    group_id = logging["LogGroup"]["Ref"]
    group = template["Resources"][group_id]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["DeletionPolicy"] == "Delete"
    assert group["Properties"]["RetentionInDays"] > 0
    # The group is named from the stack, not the function: it cannot depend on the function.
    assert function_id not in str(group)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_function_runs_on_the_architecture_parameter_arm64_unless_told(rendered, profile):
    template = rendered[profile]
    assert template["Parameters"]["FunctionArchitecture"] | {"Description": ""} == {
        "Type": "String",
        "AllowedValues": ["arm64", "x86_64"],
        "Default": "arm64",
        "Description": "",
    }
    functions = resources(template, "AWS::Lambda::Function")
    assert len(functions) == (2 if profile == "dev" else 1)
    for name, function in functions.items():
        assert function["Properties"]["Architectures"] == [{"Ref": "FunctionArchitecture"}], name


@pytest.mark.parametrize("profile", PROFILES)
def test_every_function_has_its_own_log_group(rendered, profile):
    template = rendered[profile]
    groups = {
        function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        for function in resources(template, "AWS::Lambda::Function").values()
    }
    assert groups == set(resources(template, "AWS::Logs::LogGroup"))


def test_dev_empties_its_bucket_on_delete_and_prod_does_not(dev, prod):
    bucket_id, bucket = only(dev, "AWS::S3::Bucket")
    assert {"Key": AUTO_DELETE_TAG, "Value": "true"} in bucket["Properties"]["Tags"]
    _, auto_delete = only(dev, "Custom::BucketAutoDelete", {"BucketName": {"Ref": bucket_id}})
    function_id = auto_delete["Properties"]["ServiceToken"]["Fn::GetAtt"][0]
    function = dev["Resources"][function_id]
    assert function["Properties"]["Handler"] == "function.bucket_cleanup.handler"
    assert function["Properties"]["Code"] == {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CleanupCodeKey"}}
    assert auto_delete["Properties"]["ServiceTimeout"] > function["Properties"]["Timeout"]
    policy_id, _ = only(dev, "AWS::S3::BucketPolicy")
    assert policy_id in auto_delete["DependsOn"]
    assert not resources(prod, "Custom::BucketAutoDelete")
    for bucket in resources(prod, "AWS::S3::Bucket").values():
        assert AUTO_DELETE_TAG not in str(bucket)


def test_prod_versions_logs_encrypts_and_reserves(prod):
    key_id, _ = only(prod, "AWS::KMS::Key", {"EnableKeyRotation": True})
    key_arn = {"Fn::GetAtt": [key_id, "Arn"]}
    _, upload = only(prod, "AWS::S3::Bucket", {"BucketName": {"Fn::Sub": UPLOAD_BUCKET_NAME}})
    log_bucket_id = upload["Properties"]["LoggingConfiguration"]["DestinationBucketName"]["Ref"]
    log_bucket = prod["Resources"][log_bucket_id]
    assert log_bucket["Type"] == "AWS::S3::Bucket"
    for bucket in (upload, log_bucket):
        assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    _, log_policy = only(prod, "AWS::S3::BucketPolicy", {"Bucket": {"Ref": log_bucket_id}})
    delivery = [s for s in log_policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert delivery[0]["Principal"] == {"Service": ["logging.s3.amazonaws.com"]}
    assert delivery[0]["Condition"]["ArnLike"] == {"aws:SourceArn": BUCKET_ARN}
    _, table = only(prod, "AWS::DynamoDB::Table")
    assert table["Properties"]["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": key_arn,
    }
    for group in resources(prod, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["KmsKeyId"] == key_arn
    _, queue = only(prod, "AWS::SQS::Queue")
    assert queue["Properties"]["KmsMasterKeyId"] == key_arn
    _, function = only(prod, "AWS::Lambda::Function")
    assert function["Properties"]["KmsKeyArn"] == key_arn
    assert function["Properties"]["ReservedConcurrentExecutions"]["Fn::If"][0] == "HasReservedConcurrency"


@pytest.mark.parametrize("profile", PROFILES)
def test_outputs_are_exported_under_the_stack_name(rendered, profile):
    outputs = rendered[profile]["Outputs"]
    for name in ["BucketName", "DynamoDBTableName", "LambdaFunctionName", "DeadLetterQueueUrl", "LogGroupName"]:
        assert outputs[name]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}
    assert outputs["BucketName"]["Value"] == {"Ref": "UploadsBucket"}
    assert outputs["DynamoDBTableName"]["Value"] == {"Ref": "InvocationLogTable"}
    assert outputs["LambdaFunctionName"]["Value"] == {"Ref": "InvocationLoggerFunction"}


def test_checkov_skips_carry_a_reason(rendered):
    for template in rendered.values():
        for name, resource in template["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                assert skip["id"].startswith("CKV_") and len(skip["comment"]) > 20, name


def test_templates_are_built_fresh_each_time(rendered):
    from generator.config import PROFILES as SETTINGS
    from generator.template import build_template

    assert build_template(SETTINGS["dev"]).to_dict() == rendered["dev"]
