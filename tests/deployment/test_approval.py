"""What cannot be undone needs approval."""

from deployment.approval import irreversible


def change(action: str, logical: str, kind: str, replacement: str | None = None) -> dict:
    resource = {"Action": action, "LogicalResourceId": logical, "ResourceType": kind}
    if replacement:
        resource["Replacement"] = replacement
    return {"Type": "Resource", "ResourceChange": resource}


def test_switching_prod_to_dev_lists_everything_that_cannot_be_undone(prod, dev):
    changes = [
        change("Remove", "DataEncryptionKey", "AWS::KMS::Key"),
        change("Remove", "AccessLogBucketPolicy", "AWS::S3::BucketPolicy"),
        change("Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "False"),
        change("Modify", "UploadsBucket", "AWS::S3::Bucket", "False"),
        change("Modify", "InvocationLoggerFunction", "AWS::Lambda::Function", "True"),
    ]
    assert irreversible(changes, prod, dev, "prod", "dev") == [
        "the stack's template profile changes from prod to dev",
        "DataEncryptionKey (AWS::KMS::Key) is removed from the stack: kept outside any stack by its DeletionPolicy",
        "InvocationLogTable (AWS::DynamoDB::Table) turns off deletion protection (DeletionProtectionEnabled)",
        "InvocationLogTable (AWS::DynamoDB::Table) is no longer kept when the stack is deleted (DeletionPolicy Delete)",
        "UploadsBucket (AWS::S3::Bucket) is no longer kept when the stack is deleted (DeletionPolicy Delete)",
    ]


def test_replacing_or_removing_data_without_retention(dev):
    changes = [
        change("Modify", "InvocationLogTable", "AWS::DynamoDB::Table", "True"),
        change("Modify", "UploadsBucket", "AWS::S3::Bucket", "Conditional"),
        change("Remove", "InvocationLoggerDeadLetterQueue", "AWS::SQS::Queue"),
        {"Type": "HookInvocation"},
    ]
    assert irreversible(changes, dev, dev, "dev", "dev") == [
        "InvocationLogTable (AWS::DynamoDB::Table) is replaced: a new, empty one takes its place",
        "UploadsBucket (AWS::S3::Bucket) may be replaced: a new, empty one takes its place",
        "InvocationLoggerDeadLetterQueue (AWS::SQS::Queue) is removed from the stack: deleted with its data",
    ]


def test_a_new_stack_and_ordinary_updates_need_no_approval(dev):
    assert irreversible([change("Add", "UploadsBucket", "AWS::S3::Bucket")], {}, dev, None, "dev") == []
    code_update = [change("Modify", "InvocationLoggerFunction", "AWS::Lambda::Function", "False")]
    assert irreversible(code_update, dev, dev, "dev", "dev") == []
