"""Names and ARNs of this stack's resources that must be known before the resources exist."""

import re

from troposphere import Sub

# "<stack>-<account>-<region>": unique per account and region, and known to the Lambda
# permission and the roles before the bucket exists (config.stack_name_problem states the rule).
UPLOAD_BUCKET_NAME = "${AWS::StackName}-${AWS::AccountId}-${AWS::Region}"


PSEUDO_PARAMETER = re.compile(r"\$\{(AWS::[A-Za-z]+)\}")


def upload_bucket_sub() -> Sub:
    """The upload bucket's name, as the template builds it."""
    return Sub(UPLOAD_BUCKET_NAME)


def upload_bucket_name(stack_name: str, account_id: str, region: str) -> str:
    """The upload bucket's name in one account and region: what upload_bucket_sub() resolves to."""
    values = {"AWS::StackName": stack_name, "AWS::AccountId": account_id, "AWS::Region": region}
    return PSEUDO_PARAMETER.sub(lambda match: values[match.group(1)], UPLOAD_BUCKET_NAME)


def upload_bucket_arn() -> Sub:
    """The upload bucket's ARN, built from its name rather than a Ref (no dependency cycle)."""
    return Sub("arn:${AWS::Partition}:s3:::" + UPLOAD_BUCKET_NAME)


def upload_objects_arn() -> Sub:
    """The ARN that covers every object of the upload bucket."""
    return Sub("arn:${AWS::Partition}:s3:::" + UPLOAD_BUCKET_NAME + "/*")


def function_log_group_name(role: str) -> Sub:
    """The log group of one of the stack's functions, named before the function exists."""
    return Sub("/uploadtrail/${AWS::StackName}/" + role)


# Every alarm of the stack is named "<stack>-<what>", so policies can name the stack's alarms
# before they exist (the key policy cannot refer to them: the alarms depend on the key's topic).
ALARM_NAME_PREFIX = "${AWS::StackName}-"


def alarm_name(what: str) -> Sub:
    """The name of one of the stack's alarms."""
    return Sub(ALARM_NAME_PREFIX + what)


def alarm_arns() -> Sub:
    """The ARNs of every alarm of this stack, for ArnLike conditions."""
    return Sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:" + ALARM_NAME_PREFIX + "*")
