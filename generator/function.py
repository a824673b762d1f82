"""The invocation-logger function with its role, log group, dead-letter queue and S3 permission,
and the one builder that every Python function of the stack is made with."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import (
    And,
    Equals,
    GetAtt,
    If,
    Not,
    NoValue,
    Parameter,
    Ref,
    Sub,
    Template,
    awslambda,
    iam,
    kms,
    logs,
    sqs,
)

from generator.config import Profile
from generator.metadata import annotate
from generator.naming import function_log_group_name, upload_bucket_arn
from generator.outputs import add_output
from generator.policies import (
    deny_log_group_creation_statements,
    document,
    key_use_statements,
    object_read_statements,
    queue_send_statements,
    service_assume_role_policy,
    table_write_statements,
)

RUNTIME = "python3.13"
# Lambda's instruction sets. arm64 (Graviton) is the default: cheaper per GB-second; x86_64 is for
# targets that run the function on the host's architecture (LocalStack on an x86_64 machine).
ARCHITECTURES = ("arm64", "x86_64")
FOURTEEN_DAYS = 14 * 24 * 3600

NO_VPC = (
    "The function reaches only public AWS endpoints (DynamoDB, S3, SQS, CloudWatch Logs); a VPC "
    "would add NAT or endpoint costs without protecting anything."
)
RESERVED_CONCURRENCY = "ReservedConcurrency"
HAS_RESERVED_CONCURRENCY = "HasReservedConcurrency"
UNRESERVED_IN_DEV = (
    "dev draws on the account's unreserved pool: new accounts have too little concurrency to "
    "reserve any; the prod profile reserves concurrency."
)
AWS_MANAGED_ENCRYPTION = "dev encrypts with AWS-managed keys; the prod profile uses the stack's customer-managed key."


class FunctionLoggingConfig(awslambda.LoggingConfig):
    """AWS::Lambda::Function's LoggingConfig with LogFormat: troposphere 4.11.1's generated
    LoggingConfig is a same-named class of another resource type, which lacks it."""

    props = {**awslambda.LoggingConfig.props, "LogFormat": (str, False)}


# The parameters that take each function's package key: one package per function, so that a change
# to one function's code updates that function only.
LOGGER_CODE_KEY = "LoggerCodeKey"
CLEANUP_CODE_KEY = "CleanupCodeKey"
CODE_KEYS = {LOGGER_CODE_KEY: "the invocation logger", CLEANUP_CODE_KEY: "the bucket cleanup function"}


@dataclass(frozen=True)
class FunctionCode:
    """The template parameters every function is built from: where the packages the deploy script
    uploads lie, and the architecture they run on."""

    template: Template
    bucket: Parameter
    architecture: Parameter

    def code(self, key: str) -> awslambda.Code:
        """The code of the function whose package key parameter `key` takes; the parameter is
        declared with its function, so a template declares only the keys its functions use."""
        parameter = self.template.parameters.get(key) or self.template.add_parameter(
            Parameter(key, Type="String", Description=f"Key of the package of {CODE_KEYS[key]}, named by its SHA-256")
        )
        return awslambda.Code(S3Bucket=Ref(self.bucket), S3Key=Ref(parameter))


def add_code_parameters(template: Template) -> FunctionCode:
    """Parameters CodeBucket, filled by scripts/deploy.py like each function's package key, and
    FunctionArchitecture. Changing the architecture updates the functions in place (Architectures
    needs no replacement), so it is a code-only update: nothing is lost and no permission changes."""
    return FunctionCode(
        template=template,
        bucket=template.add_parameter(
            Parameter(
                "CodeBucket",
                Type="String",
                Description="Bucket holding the function packages (the deploy script fills it)",
            )
        ),
        architecture=template.add_parameter(
            Parameter(
                "FunctionArchitecture",
                Type="String",
                AllowedValues=list(ARCHITECTURES),
                Default=ARCHITECTURES[0],
                Description=(
                    "Instruction set of both functions: arm64 on AWS; x86_64 where the target runs "
                    "functions on an x86_64 host (the package is pure Python and runs on either)"
                ),
            )
        ),
    )


def add_python_function(
    template: Template,
    name: str,
    log_name: str,
    *,
    profile: Profile,
    key: kms.Key | None,
    code: FunctionCode,
    code_key: str,
    handler: str,
    statements: list,
    why: str,
    checkov_reasons: dict[str, str],
    **function_properties,
) -> awslambda.Function:
    """<name>Role, <name>LogGroup and <name>Function: a Python function on the stack's
    architecture with JSON logs in a log group the stack owns (created first, deleted with the
    stack)."""
    log_group = template.add_resource(
        logs.LogGroup(
            f"{name}LogGroup",
            LogGroupName=function_log_group_name(log_name),
            RetentionInDays=profile.log_retention_days,
            KmsKeyId=GetAtt(key, "Arn") if key else NoValue,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
        )
    )
    annotate(
        log_group,
        "Owned by the stack so teardown leaves no log group; named before the function exists.",
        skips={} if key else {"CKV_AWS_158": AWS_MANAGED_ENCRYPTION},
    )
    statements = statements + deny_log_group_creation_statements()
    if key:
        statements = statements + key_use_statements(key)
    role = template.add_resource(
        iam.Role(
            f"{name}Role",
            AssumeRolePolicyDocument=service_assume_role_policy("lambda.amazonaws.com"),
            ManagedPolicyArns=[Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
            Policies=[iam.Policy(PolicyName=log_name, PolicyDocument=document(statements))],
        )
    )
    annotate(
        role,
        f"Execution role of the {log_name} function, granted this stack's ARNs only.",
        must=["Deny logs:CreateLogGroup: a re-created log group blocks the next create"],
    )
    function = template.add_resource(
        awslambda.Function(
            f"{name}Function",
            Runtime=RUNTIME,
            Architectures=[Ref(code.architecture)],
            Handler=handler,
            Code=code.code(code_key),
            Role=GetAtt(role, "Arn"),
            KmsKeyArn=GetAtt(key, "Arn") if key else NoValue,
            LoggingConfig=FunctionLoggingConfig(LogFormat="JSON", LogGroup=Ref(log_group)),
            **function_properties,
        )
    )
    reasons = {"CKV_AWS_117": NO_VPC, **checkov_reasons}
    if not key:
        reasons["CKV_AWS_173"] = AWS_MANAGED_ENCRYPTION
    annotate(function, why, skips=reasons)
    return function


def add_reserved_concurrency(template: Template, profile: Profile) -> Parameter:
    """Parameter ReservedConcurrency (default from the profile) and condition
    HasReservedConcurrency: Lambda refuses a reservation that leaves the account fewer than 100
    unreserved executions, so an account with a low limit deploys with "" or "0" (unreserved)."""
    parameter = template.add_parameter(
        Parameter(
            RESERVED_CONCURRENCY,
            Type="String",
            AllowedPattern="^[0-9]*$",
            Default=str(profile.reserved_concurrency or ""),
            Description=(
                "Reserved concurrent executions of the logger; empty or 0: unreserved (Lambda "
                "keeps 100 of the account's limit unreserved)"
            ),
            ConstraintDescription="a whole number, or empty for no reservation",
        )
    )
    template.add_condition(
        HAS_RESERVED_CONCURRENCY,
        And(Not(Equals(Ref(parameter), "")), Not(Equals(Ref(parameter), "0"))),
    )
    return parameter


def add_dead_letter_queue(template: Template, key: kms.Key | None) -> sqs.Queue:
    """Encrypted queue that keeps the events of asynchronous invocations that kept failing."""
    queue = template.add_resource(
        sqs.Queue(
            "InvocationLoggerDeadLetterQueue",
            MessageRetentionPeriod=FOURTEEN_DAYS,
            SqsManagedSseEnabled=NoValue if key else True,
            KmsMasterKeyId=GetAtt(key, "Arn") if key else NoValue,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
        )
    )
    annotate(queue, "Keeps events whose asynchronous invocation failed after Lambda's retries.")
    add_output(template, "DeadLetterQueueUrl", Ref(queue), "Queue of events the function failed on")
    return queue


@dataclass(frozen=True)
class InvocationLogger:
    """The logger's handles that other sections refer to."""

    function: awslambda.Function
    permission: awslambda.Permission
    dead_letter_queue: sqs.Queue


def add_invocation_logger(
    template: Template,
    profile: Profile,
    table,
    key: kms.Key | None,
    code: FunctionCode,
) -> InvocationLogger:
    """The function that logs each upload to the table, its dead-letter queue, and S3's
    permission to invoke it."""
    queue = add_dead_letter_queue(template, key)
    reserved = add_reserved_concurrency(template, profile)
    function = add_python_function(
        template,
        "InvocationLogger",
        "invocation-logger",
        profile=profile,
        key=key,
        code=code,
        code_key=LOGGER_CODE_KEY,
        handler="function.handler.handler",
        why="Logs every record of every S3 upload event as one item in the table.",
        statements=object_read_statements() + table_write_statements(table) + queue_send_statements(queue),
        checkov_reasons={} if profile.reserved_concurrency else {"CKV_AWS_115": UNRESERVED_IN_DEV},
        Description="uploadtrail: logs every S3 upload to the invocation table",
        Timeout=profile.function_timeout,
        MemorySize=profile.function_memory,
        Environment=awslambda.Environment(Variables={"TABLE_NAME": Ref(table), "LOG_LEVEL": "INFO"}),
        DeadLetterConfig=awslambda.DeadLetterConfig(TargetArn=GetAtt(queue, "Arn")),
        ReservedConcurrentExecutions=If(HAS_RESERVED_CONCURRENCY, Ref(reserved), NoValue),
    )
    permission = template.add_resource(
        awslambda.Permission(
            "InvocationLoggerInvokePermission",
            Action="lambda:InvokeFunction",
            FunctionName=GetAtt(function, "Arn"),
            Principal="s3.amazonaws.com",
            SourceArn=upload_bucket_arn(),
            SourceAccount=Ref("AWS::AccountId"),
        )
    )
    add_output(template, "LambdaFunctionName", Ref(function), "Function that logs uploads")
    add_output(
        template,
        "LogGroupName",
        function_log_group_name("invocation-logger"),
        "Log group of the invocation logger",
    )
    return InvocationLogger(function, permission, queue)
