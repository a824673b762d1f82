"""The security section after the change-set table: statements added and removed, cdk-style."""

import copy

from deployment.security_diff import describe_security_diff, render, security_diff, security_rows


def test_switching_prod_to_dev_shows_the_key_policy_going_and_the_cleanup_role_coming(prod, dev):
    rows = security_diff(prod, dev)
    removed = [row for row in rows if row[0] == "-"]
    added = [row for row in rows if row[0] == "+"]
    assert (
        "-",
        "${DataEncryptionKey.Arn}",
        "Allow",
        "kms:Decrypt, kms:GenerateDataKey",
        "AWS:${InvocationLoggerRole}",
        "",
    ) in removed
    assert any(
        row[3] == "s3:DeleteObject, s3:DeleteObjectVersion" and row[4] == "AWS:${BucketCleanupRole}" for row in added
    )
    text = describe_security_diff(prod, dev)
    assert text.splitlines()[0] == "Security changes (IAM and resource policies):"
    assert text.splitlines()[1].split() == ["Resource", "Effect", "Action", "Principal", "Condition"]


def test_an_unchanged_template_has_no_security_changes(dev):
    assert describe_security_diff(dev, dev) == "Security changes (IAM and resource policies): none."


def test_a_new_stack_adds_every_statement_including_the_lambda_permission(dev):
    rows = security_diff({}, dev)
    assert all(row[0] == "+" for row in rows)
    (permission,) = [row for row in rows if row[3] == "lambda:InvokeFunction"]
    assert permission[1:5] == (
        "${InvocationLoggerFunction.Arn}",
        "Allow",
        "lambda:InvokeFunction",
        "Service:s3.amazonaws.com",
    )
    assert '"SourceAccount":"${AWS::AccountId}"' in permission[5]


def test_intrinsic_functions_read_as_cdk_writes_them():
    assert render({"Ref": "Bucket"}) == "${Bucket}"
    assert render({"Fn::GetAtt": "Bucket.Arn"}) == "${Bucket.Arn}"
    assert render({"Fn::GetAtt": ["Bucket", "Arn"]}) == "${Bucket.Arn}"
    assert render({"Fn::Sub": ["${Arn}/*", {"Arn": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}) == "${Bucket.Arn}/*"
    assert render({"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}]]}) == "arn:${AWS::Partition}"
    assert render({"Fn::If": ["C", 1, 2]}) == '{"Fn::If":["C",1,2]}'
    assert render(["a", {"Ref": "B"}]) == "a, ${B}"


def test_identity_and_resource_policies_of_every_kind():
    template = {
        "Resources": {
            "Policy": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "Roles": [{"Ref": "Role"}],
                    "PolicyDocument": {"Statement": {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}},
                },
            },
            "QueuePolicy": {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {
                    "Queues": [{"Ref": "Queue"}],
                    "PolicyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Principal": "*"}]
                    },
                },
            },
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"FunctionName": "f", "Action": "lambda:InvokeFunction", "Principal": "123456789012"},
            },
            "Other": {"Type": "AWS::SNS::Topic", "Properties": {}},
        }
    }
    assert security_rows(template) == {
        ("*", "Deny", "s3:*", "AWS:${Role}", ""),
        ("${Queue}", "Allow", "sqs:SendMessage", "*", ""),
        ("f", "Allow", "lambda:InvokeFunction", "AWS:123456789012", ""),
    }


def test_adding_the_alarms_shows_cloudwatch_publishing_and_using_the_key(prod):
    old = copy.deepcopy(prod)
    del old["Resources"]["AlarmTopicPolicy"]
    key_policy = old["Resources"]["DataEncryptionKey"]["Properties"]["KeyPolicy"]
    key_policy["Statement"] = [s for s in key_policy["Statement"] if "cloudwatch" not in str(s)]
    rows = security_diff(old, prod)
    assert {(row[0], row[1], row[3], row[4]) for row in rows} == {
        ("+", "${AlarmTopic}", "sns:Publish", "Service:cloudwatch.amazonaws.com"),
        ("+", "*", "kms:GenerateDataKey*, kms:Decrypt", "Service:cloudwatch.amazonaws.com"),
    }
    assert all('"aws:SourceAccount":"${AWS::AccountId}"' in row[5] for row in rows)
