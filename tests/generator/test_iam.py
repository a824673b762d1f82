"""Every IAM document: no wildcards granted, each Allow scoped to this stack's own ARNs; the one
"*" in the roles' own statements is a Deny."""

import json

import pytest

from tests.generator.assertions import as_list, only, resources, statements

PROFILES = ["dev", "prod"]
THIS_STACKS_ALARMS = {
    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
    "ArnLike": {
        "aws:SourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AWS::StackName}-*"
        }
    },
}


def role_statements(template: dict) -> list[dict]:
    found = []
    for role in resources(template, "AWS::IAM::Role").values():
        for policy in role["Properties"]["Policies"]:
            found += statements(policy["PolicyDocument"])
    return found


def same_stack(resource, template: dict) -> bool:
    """An ARN built from this stack's resources or its deterministic names."""
    if "Fn::GetAtt" in resource:
        return resource["Fn::GetAtt"][0] in template["Resources"]
    text = resource.get("Fn::Sub", "")
    return text.startswith("arn:${AWS::Partition}:") and "${AWS::StackName}" in text


@pytest.mark.parametrize("profile", PROFILES)
def test_no_role_grants_a_wildcard(rendered, profile):
    for statement in role_statements(rendered[profile]):
        if statement["Effect"] == "Deny":
            continue
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
        for resource in as_list(statement["Resource"]):
            assert resource != "*"
            assert same_stack(resource, rendered[profile]), resource


@pytest.mark.parametrize("profile", PROFILES)
def test_roles_are_assumed_by_lambda_only_and_use_partition_aware_managed_arns(rendered, profile):
    for role in resources(rendered[profile], "AWS::IAM::Role").values():
        trust = statements(role["Properties"]["AssumeRolePolicyDocument"])
        assert trust == [
            {
                "Action": ["sts:AssumeRole"],
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com"]},
            }
        ]
        assert role["Properties"]["ManagedPolicyArns"] == [
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
        ]
    assert "arn:aws:" not in json.dumps(rendered[profile])


@pytest.mark.parametrize("profile", PROFILES)
def test_every_role_denies_creating_log_groups_and_keeps_the_managed_policy(rendered, profile):
    """AWSLambdaBasicExecutionRole allows logs:CreateLogGroup on "*": late log delivery during a
    stack delete would re-create a deleted group and fail the next create of the stack name."""
    roles = resources(rendered[profile], "AWS::IAM::Role")
    assert len(roles) == (2 if profile == "dev" else 1)
    for name, role in roles.items():
        assert len(role["Properties"]["ManagedPolicyArns"]) == 1, name
        documents = [statements(p["PolicyDocument"]) for p in role["Properties"]["Policies"]]
        denies = [s for document in documents for s in document if s["Effect"] == "Deny"]
        assert denies == [
            {"Sid": "DenyCreatingLogGroups", "Effect": "Deny", "Action": ["logs:CreateLogGroup"], "Resource": ["*"]}
        ], name


def actions_of(template: dict, handler: str) -> dict[str, list]:
    """Action to the resources it is allowed on, for the role of the function with handler."""
    _, function = only(template, "AWS::Lambda::Function", {"Handler": handler})
    role = template["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
    granted: dict[str, list] = {}
    for policy in role["Properties"]["Policies"]:
        for statement in statements(policy["PolicyDocument"]):
            if statement["Effect"] == "Deny":
                continue
            for action in statement["Action"]:
                granted.setdefault(action, []).extend(statement["Resource"])
    return granted


def test_logger_reads_objects_writes_the_table_and_sends_to_its_queue(dev):
    granted = actions_of(dev, "function.handler.handler")
    assert set(granted) == {"s3:GetObject", "s3:GetObjectVersion", "dynamodb:PutItem", "sqs:SendMessage"}
    assert granted["s3:GetObject"][0]["Fn::Sub"].endswith("${AWS::Region}/*")
    assert granted["dynamodb:PutItem"] == [{"Fn::GetAtt": ["InvocationLogTable", "Arn"]}]
    assert granted["sqs:SendMessage"] == [{"Fn::GetAtt": ["InvocationLoggerDeadLetterQueue", "Arn"]}]


def test_prod_logger_may_use_the_stack_key(prod):
    granted = actions_of(prod, "function.handler.handler")
    assert granted["kms:Decrypt"] == [{"Fn::GetAtt": ["DataEncryptionKey", "Arn"]}]
    assert granted["kms:GenerateDataKey"] == [{"Fn::GetAtt": ["DataEncryptionKey", "Arn"]}]


def test_cleanup_may_only_list_and_delete_this_buckets_objects(dev):
    granted = actions_of(dev, "function.bucket_cleanup.handler")
    assert set(granted) == {
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:GetBucketTagging",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
    }
    assert all(r["Fn::Sub"].endswith("${AWS::Region}") for r in granted["s3:ListBucketVersions"])
    assert all(r["Fn::Sub"].endswith("${AWS::Region}/*") for r in granted["s3:DeleteObjectVersion"])


def test_key_policy_hands_the_key_to_iam_and_lets_logs_use_only_this_stacks_groups(prod):
    _, key = only(prod, "AWS::KMS::Key")
    document = statements(key["Properties"]["KeyPolicy"])
    admin = next(s for s in document if s["Sid"] == "AccountAdministersKeyThroughIam")
    assert admin["Principal"] == {"AWS": [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}]}
    assert admin["Action"] == ["kms:*"]  # AWS's default key policy: IAM decides, no frozen action list
    logs = next(s for s in document if s["Sid"] == "LogsEncryptThisStacksLogGroups")
    assert logs["Principal"] == {"Service": [{"Fn::Sub": "logs.${AWS::Region}.${AWS::URLSuffix}"}]}
    assert logs["Action"] == ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    context = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]["Fn::Sub"]
    assert context.endswith(":log-group:/uploadtrail/${AWS::StackName}/*")
    alarms = next(s for s in document if s["Sid"] == "CloudWatchEncryptsThisStacksAlarmNotifications")
    assert alarms["Principal"] == {"Service": ["cloudwatch.amazonaws.com"]}
    assert alarms["Action"] == ["kms:GenerateDataKey*", "kms:Decrypt"]
    assert alarms["Condition"] == THIS_STACKS_ALARMS
    assert [s["Sid"] for s in document] == [
        "AccountAdministersKeyThroughIam",
        "LogsEncryptThisStacksLogGroups",
        "CloudWatchEncryptsThisStacksAlarmNotifications",
    ]


def test_only_this_accounts_alarms_of_this_stack_may_publish_to_the_alarm_topic(rendered):
    for template in rendered.values():
        topic_id, _ = only(template, "AWS::SNS::Topic")
        _, policy = only(template, "AWS::SNS::TopicPolicy", {"Topics": [{"Ref": topic_id}]})
        assert statements(policy["Properties"]["PolicyDocument"]) == [
            {
                "Sid": "CloudWatchPublishesThisStacksAlarms",
                "Effect": "Allow",
                "Principal": {"Service": ["cloudwatch.amazonaws.com"]},
                "Action": ["sns:Publish"],
                "Resource": [{"Ref": topic_id}],
                "Condition": THIS_STACKS_ALARMS,
            }
        ]
        for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
            name = alarm["Properties"]["AlarmName"]["Fn::Sub"]
            assert name.startswith("${AWS::StackName}-")  # what the ArnLike pattern matches
