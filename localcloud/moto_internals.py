"""The moto internals the local cloud's adapters touch, in one list, and the check that each is
still there as they expect it: after a moto upgrade the local cloud refuses to start (and
tests/localcloud/test_contracts.py fails) naming every internal that moved, in one place."""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass

MOTO_VERSION = "5.2.5"


@dataclass(frozen=True)
class Internal:
    """A moto module attribute, class attribute or instance attribute (assigned as `self.<name>`
    in its class), with the leading parameter names a callable must keep, and who uses it."""

    path: str
    parameters: tuple[str, ...] = ()
    used_by: str = ""


LAMBDA = "moto.awslambda.models"
CFN = "moto.cloudformation"
S3 = "moto.s3"
IAM = "moto.iam.models"
STS = "moto.sts.models"
# One entry per internal.
INTERNALS = [
    Internal(f"{LAMBDA}.LambdaFunction._invoke_lambda", ("self", "event"), "lambda_execution, custom_resources"),
    Internal(
        f"{LAMBDA}.LambdaFunction.create_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
        "lambda_execution, async_invocation",
    ),
    Internal(
        f"{LAMBDA}.LambdaFunction.invoke", ("self", "body", "request_headers", "response_headers"), "async_invocation"
    ),
    Internal(f"{LAMBDA}.LambdaFunction.update_configuration", ("self", "config_updates"), "async_invocation"),
    Internal(f"{LAMBDA}.LambdaFunction.get_configuration", ("self", "on_create"), "async_invocation"),
    Internal(f"{LAMBDA}.LambdaFunction.function_name", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.function_arn", (), "lambda_execution, async_invocation"),
    Internal(f"{LAMBDA}.LambdaFunction.handler", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.code_bytes", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.environment_vars", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.timeout", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.memory_size", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.logs_group_name", (), "lambda_execution"),
    Internal(f"{LAMBDA}.LambdaFunction.event_invoke_config", (), "async_invocation"),
    Internal(f"{LAMBDA}.LambdaFunction.reserved_concurrency", (), "async_invocation"),
    Internal(f"{LAMBDA}.LambdaBackend.create_function", ("self", "spec"), "async_invocation"),
    Internal(
        f"{LAMBDA}.LambdaBackend.get_function", ("self", "function_name_or_arn"), "async_invocation, custom_resources"
    ),
    Internal(
        f"{LAMBDA}.LambdaBackend.put_function_event_invoke_config",
        ("self", "function_name", "config"),
        "async_invocation",
    ),
    Internal("moto.awslambda.utils.get_backend", ("account_id", "region"), "async_invocation, custom_resources"),
    Internal("moto.logs.models.logs_backends", (), "lambda_execution"),
    Internal("moto.logs.models.LogsBackend.ensure_log_group", ("self", "log_group_name"), "lambda_execution"),
    Internal(
        "moto.logs.models.LogsBackend.ensure_log_stream",
        ("self", "log_group_name", "log_stream_name"),
        "lambda_execution",
    ),
    Internal(
        "moto.logs.models.LogsBackend.put_log_events",
        ("self", "log_group_name", "log_stream_name", "log_events"),
        "lambda_execution",
    ),
    Internal("moto.sqs.models.sqs_backends", (), "async_invocation, memory_state"),
    Internal(
        "moto.sqs.models.SQSBackend.send_message",
        ("self", "queue_name", "message_body", "message_attributes"),
        "async_invocation",
    ),
    Internal(
        f"{S3}.notifications._invoke_awslambda",
        ("account_id", "event_body", "fn_arn", "region_name"),
        "async_invocation",
    ),
    Internal(f"{S3}.notifications._get_s3_event", ("event_name", "bucket", "key", "notification_id"), "s3_events"),
    Internal(f"{S3}.notifications.send_event", ("account_id", "event_name", "bucket", "key"), "s3_events"),
    Internal(f"{S3}.notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT", (), "s3_events"),
    Internal(
        f"{S3}.models.S3Backend.complete_multipart_upload", ("self", "bucket_name", "multipart_id", "body"), "s3_events"
    ),
    Internal(f"{S3}.responses.S3Response.key_response", ("self", "request", "full_url", "headers"), "s3_events"),
    Internal(f"{S3}.responses.S3Response.bucket_response", ("self", "request", "full_url", "headers"), "s3_events"),
    Internal(f"{S3}.models.FakeBucket.is_versioned", (), "s3_events"),
    Internal(f"{S3}.models.FakeBucket.arn", (), "s3_events"),
    Internal(f"{S3}.models.FakeKey.version_id", (), "s3_events"),
    Internal(f"{S3}.models.FakeKey.etag", (), "s3_events"),
    Internal(
        f"{S3}.models.FakeBucket.create_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
        "ignored_properties",
    ),
    Internal(
        f"{S3}.models.FakeBucket.update_from_cloudformation_json",
        ("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name"),
        "ignored_properties",
    ),
    Internal(f"{S3}.models.FakeBucket.get_permission", ("self", "action", "resource"), "bucket_policy"),
    Internal(f"{S3}.models.FakeBucket.keys", (), "stack_operations, memory_state"),
    Internal(f"{S3}.models.s3_backends", (), "ignored_properties, bucket_policy, memory_state"),
    Internal("moto.core.utils.iso_8601_datetime_with_milliseconds", (), "s3_events"),
    Internal("moto.iam.models.iam_backends", (), "s3_events"),
    Internal("moto.iam.models.IAMBackend.get_user_from_access_key_id", ("self", "access_key_id"), "s3_events"),
    Internal("moto.iam.access_control.IAMPolicy", ("policy",), "bucket_policy"),
    Internal("moto.iam.access_control.PermissionResult.NEUTRAL", (), "bucket_policy"),
    Internal("moto.sts.models.sts_backends", (), "s3_events"),
    Internal("moto.sts.models.STSBackend.get_assumed_role_from_access_key", ("self", "access_key_id"), "s3_events"),
    Internal("moto.sts.models.AssumedRole.user_id", (), "s3_events"),
    Internal("moto.utilities.utils.get_partition", ("region",), "s3_events, ignored_properties, bucket_policy"),
    Internal("moto.core.common_models.CloudFormationModel", (), "bucket_policy, async_invocation"),
    Internal(f"{CFN}.parsing.get_model_list", (), "bucket_policy, async_invocation"),
    Internal(f"{CFN}.parsing.get_model_map", (), "bucket_policy, async_invocation"),
    Internal(f"{CFN}.parsing.get_name_type_map", (), "bucket_policy, async_invocation"),
    Internal(
        f"{CFN}.custom_model.CustomModel.__init__",
        ("self", "region_name", "request_id", "logical_id", "resource_name"),
        "custom_resources",
    ),
    Internal(f"{CFN}.custom_model.CustomModel.create_from_cloudformation_json", (), "custom_resources"),
    Internal(f"{CFN}.custom_model.CustomModel.update_from_cloudformation_json", (), "custom_resources"),
    Internal(f"{CFN}.custom_model.CustomModel.set_data", ("self", "data"), "custom_resources"),
    Internal("moto.dynamodb.models.dynamodb_backends", (), "ignored_properties, memory_state"),
    Internal(
        "moto.dynamodb.models.table.Table.create_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
        "ignored_properties",
    ),
    Internal(f"{CFN}.cloudformation_backends", (), "stack_events"),
    Internal(
        f"{CFN}.models.Event.__init__",
        (
            "self",
            "stack_id",
            "stack_name",
            "logical_resource_id",
            "physical_resource_id",
            "resource_type",
            "resource_status",
            "resource_status_reason",
            "resource_properties",
        ),
        "stack_events",
    ),
    Internal(f"{CFN}.models.Stack._add_stack_event", ("self", "resource_status"), "stack_events"),
    Internal(f"{CFN}.models.Change", (), "stack_operations"),
    Internal(f"{CFN}.models.ChangeSet.diff", ("self",), "stack_operations"),
    Internal(f"{CFN}.models.CloudFormationBackend.delete_stack", ("self", "name_or_stack_id"), "stack_operations"),
    Internal(
        f"{CFN}.models.CloudFormationBackend.execute_change_set",
        ("self", "change_set_name", "stack_name"),
        "stack_operations",
    ),
    Internal(
        f"{CFN}.parsing.parse_and_create_resource",
        ("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
        "stack_operations",
    ),
    Internal(
        f"{CFN}.parsing.parse_and_update_resource",
        ("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
        "stack_operations",
    ),
    Internal(f"{CFN}.parsing.OutputMap", (), "stack_operations"),
    Internal(f"{CFN}.parsing.ResourceMap.delete", ("self",), "stack_operations"),
    Internal(f"{CFN}.parsing.ResourceMap.build_resource_diff", ("self", "other_template"), "stack_operations"),
    Internal(
        f"{CFN}.parsing.ResourceMap._ResourceMap__get_resources_in_dependency_order", ("self",), "stack_operations"
    ),
    Internal(f"{CFN}.parsing.ResourceMap._delete_resource", ("self",), "stack_operations"),
    Internal(f"{CFN}.parsing.ResourceMap._resource_json_map", (), "stack_operations"),
    Internal(f"{CFN}.parsing.ResourceMap._parsed_resources", (), "stack_operations"),
    Internal("moto.server.ThreadedMotoServer.__init__", ("self", "ip_address", "port", "verbose"), "server"),
    Internal(
        "moto.core.authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action",
        ("self", "iam_request_cls", "resource"),
        "identity_policies",
    ),
    Internal(
        "moto.iam.access_control.IAMRequestBase.__init__",
        ("self", "account_id", "method", "path", "data", "body", "headers", "action"),
        "identity_policies",
    ),
    Internal("moto.iam.access_control.IAMRequestBase.check_signature", ("self",), "identity_policies"),
    Internal("moto.iam.access_control.S3IAMRequest", (), "identity_policies"),
    Internal("moto.iam.access_control.PermissionResult", (), "bucket_policy_conditions"),
    Internal("moto.core.exceptions.JsonRESTError", ("error_type", "message"), "identity_policies"),
    Internal("moto.core.exceptions.AccessDeniedError", ("user_arn", "action"), "identity_policies"),
    Internal("moto.s3.exceptions.BucketAccessDeniedError", ("bucket",), "identity_policies, bucket_policy_conditions"),
    Internal("moto.s3.exceptions.S3AccessDeniedError", (), "identity_policies"),
    Internal("moto.s3.models.FakeBucket.get_permission", ("self", "action", "resource"), "bucket_policy_conditions"),
    Internal("moto.s3.models.FakeBucket.policy", (), "bucket_policy_conditions"),
    Internal("moto.s3.models.S3Backend.buckets", (), "bucket_policy_conditions, memory_state"),
    Internal("moto.s3.responses.S3Response._key_response", ("self", "request", "full_url"), "bucket_policy_conditions"),
    Internal(
        "moto.s3.responses.S3Response.parse_bucket_name_from_url",
        ("self", "request", "url"),
        "bucket_policy_conditions",
    ),
    Internal(f"{STS}.sts_backends", (), "callers, execution_role"),
    Internal(
        f"{STS}.STSBackend.assume_role",
        ("self", "region_name", "role_session_name", "role_arn", "policy", "duration", "external_id"),
        "execution_role",
    ),
    Internal(
        f"{STS}.STSBackend.get_assumed_role_from_access_key", ("self", "access_key_id"), "callers, execution_role"
    ),
    Internal(f"{STS}.AssumedRole.role_arn", (), "callers"),
    Internal(f"{STS}.AssumedRole.session_token", (), "execution_role"),
    Internal(f"{IAM}.iam_backends", (), "callers, role_policies"),
    Internal(f"{IAM}.IAMBackend.get_role_by_arn", ("self", "arn"), "callers"),
    Internal("moto.iam.exceptions.NotFoundException", (), "callers"),
    Internal("moto.logs.models.LogsBackend.groups", (), "lambda_execution"),
    Internal("moto.awslambda.exceptions.InvalidParameterValueException", ("message",), "async_invocation"),
    Internal(f"{IAM}.IAMBackend.put_role_policy", ("self", "role_name", "policy_name", "policy_json"), "role_policies"),
    Internal(f"{IAM}.IAMBackend.delete_role_policy", ("self", "role_name", "policy_name"), "role_policies"),
    Internal(f"{IAM}.IAMBackend.attach_role_policy", ("self", "policy_arn", "role_name"), "role_policies"),
    Internal(f"{IAM}.IAMBackend.detach_role_policy", ("self", "policy_arn", "role_name"), "role_policies"),
    Internal(f"{IAM}.Role.policies", (), "callers, role_policies"),
    Internal(f"{IAM}.Role.managed_policies", (), "callers, role_policies"),
    Internal(
        f"{IAM}.Role.create_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
        "role_policies",
    ),
    Internal(
        f"{IAM}.Role.update_from_cloudformation_json",
        ("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name"),
        "role_policies",
    ),
    Internal(
        f"{IAM}.Role.delete_from_cloudformation_json",
        ("resource_name", "cloudformation_json", "account_id", "region_name"),
        "role_policies",
    ),
    Internal("moto.settings.load_iam_aws_managed_policies", (), "adapters.install (MOTO_IAM_LOAD_MANAGED_POLICIES)"),
    Internal("moto.moto_server.werkzeug_app.MotoRequestHandler.make_environ", ("self",), "https_server"),
    Internal(
        "werkzeug.serving.ThreadedWSGIServer.finish_request", ("self", "request", "client_address"), "https_server"
    ),
    Internal("moto.moto_server.werkzeug_app.DomainDispatcherApplication", (), "https_server"),
    Internal("moto.moto_server.werkzeug_app.create_backend_app", (), "https_server"),
    Internal("moto.core.responses.BaseResponse._get_action", ("self",), "identity_policies"),
    Internal("moto.awslambda.models.LambdaFunction.role", (), "execution_role"),
    Internal("moto.core.base_backend.BackendDict.iter_backends", ("self",), "memory_state"),
    Internal("moto.awslambda.models.lambda_backends", (), "memory_state"),
    Internal("moto.awslambda.models.LambdaBackend.list_functions", ("self",), "memory_state"),
    Internal("moto.cloudformation.models.cloudformation_backends", (), "memory_state"),
    Internal("moto.cloudformation.models.CloudFormationBackend.stacks", (), "memory_state"),
    Internal("moto.dynamodb.models.DynamoDBBackend.tables", (), "memory_state"),
    Internal("moto.dynamodb.models.table.Table.__len__", ("self",), "memory_state"),
    Internal("moto.sqs.models.SQSBackend.queues", (), "memory_state"),
    Internal("moto.sqs.models.Queue.approximate_number_of_messages", (), "memory_state"),
]


def assigns(cls: type, name: str) -> bool:
    """Whether the class's source assigns self.<name> (an instance attribute)."""
    return re.search(rf"self\.{name}\s*[:=]", inspect.getsource(cls)) is not None


def resolve(path: str) -> object:
    """The object at a dotted path: the longest importable module, then attributes; an instance
    attribute resolves to its class when the class assigns `self.<name>`."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for index, name in enumerate(parts[split:], start=split):
            if hasattr(found, name):
                found = getattr(found, name)
            elif index == len(parts) - 1 and inspect.isclass(found) and assigns(found, name):
                return found
            else:
                raise AttributeError(f"{'.'.join(parts[:index])} has no attribute {name}")
        return found
    raise ImportError(f"no module of {path} can be imported")


def problems() -> list[str]:
    """What no longer matches, one line per internal (empty when every one does)."""
    import moto

    found = [] if moto.__version__ == MOTO_VERSION else [f"moto is {moto.__version__}, not {MOTO_VERSION}"]
    for internal in INTERNALS:
        try:
            target = resolve(internal.path)
        except (ImportError, AttributeError) as error:
            found.append(f"{internal.path} (used by {internal.used_by}): {error}")
            continue
        if internal.parameters:
            names = tuple(inspect.signature(target).parameters)[: len(internal.parameters)]  # type: ignore[arg-type]
            if names != internal.parameters:
                found.append(
                    f"{internal.path} (used by {internal.used_by}): parameters {names}, expected {internal.parameters}"
                )
    return found


def check() -> None:
    """Raise, naming every internal that moved, unless the installed moto is the one the
    adapters were written for."""
    found = problems()
    if found:
        raise RuntimeError(
            f"the local cloud's adapters were written for moto {MOTO_VERSION} and these of its internals changed "
            "(pip install -e '.[local]' installs that version; to upgrade, revisit each adapter named):\n  "
            + "\n  ".join(found)
        )
