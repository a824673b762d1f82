"""The moto internals the local cloud touches, and the check that each is still there as it
expects: the registry's patch targets plus READ, the attributes it reads, calls or subclasses.
After a moto upgrade the local cloud refuses to start (and tests/localcloud/test_moto_internals.py
fails) naming every internal that moved and the modules that touch it; touches() finds them in
the local cloud's source, so the list cannot drift."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

MOTO_VERSION = "5.2.5"
# Packages whose internals the local cloud relies on (werkzeug: moto's server underneath).
PACKAGES = ("moto", "werkzeug")


@dataclass(frozen=True)
class Internal:
    """A module attribute, class attribute or instance attribute (assigned as `self.<name>` in its
    class), with the leading parameter names a callable must keep."""

    path: str
    parameters: tuple[str, ...] = ()


READ = [
    Internal("moto.awslambda.exceptions.InvalidParameterValueException.__init__", ("self", "message")),
    Internal("moto.awslambda.exceptions.UnknownFunctionException", ()),
    Internal("moto.awslambda.models.LambdaBackend.get_function", ("self", "function_name_or_arn", "qualifier")),
    Internal("moto.awslambda.models.LambdaBackend.list_functions", ("self",)),
    Internal(
        "moto.awslambda.models.LambdaBackend.put_function_event_invoke_config", ("self", "function_name", "config")
    ),
    Internal("moto.awslambda.models.LambdaFunction.account_id", ()),
    Internal("moto.awslambda.models.LambdaFunction.architectures", ()),
    Internal("moto.awslambda.models.LambdaFunction.code_bytes", ()),
    Internal("moto.awslambda.models.LambdaFunction.environment_vars", ()),
    Internal("moto.awslambda.models.LambdaFunction.event_invoke_config", ()),
    Internal("moto.awslambda.models.LambdaFunction.function_arn", ()),
    Internal("moto.awslambda.models.LambdaFunction.function_name", ()),
    Internal("moto.awslambda.models.LambdaFunction.handler", ()),
    Internal("moto.awslambda.models.LambdaFunction.logs_group_name", ()),
    Internal("moto.awslambda.models.LambdaFunction.memory_size", ()),
    Internal("moto.awslambda.models.LambdaFunction.package_type", ()),
    Internal("moto.awslambda.models.LambdaFunction.policy", ()),
    Internal("moto.awslambda.models.LambdaFunction.region", ()),
    Internal("moto.awslambda.models.LambdaFunction.reserved_concurrency", ()),
    Internal("moto.awslambda.models.LambdaFunction.role", ()),
    Internal("moto.awslambda.models.LambdaFunction.run_time", ()),
    Internal("moto.awslambda.models.LambdaFunction.timeout", ()),
    Internal("moto.awslambda.models.lambda_backends", ()),
    Internal("moto.awslambda.responses.LambdaResponse.backend", ()),
    Internal("moto.awslambda.utils.get_backend", ("account_id", "region")),
    Internal("moto.cloudformation.cloudformation_backends", ()),
    Internal(
        "moto.cloudformation.custom_model.CustomModel.__init__",
        ("self", "region_name", "request_id", "logical_id", "resource_name"),
    ),
    Internal("moto.cloudformation.custom_model.CustomModel.logical_id", ()),
    Internal("moto.cloudformation.custom_model.CustomModel.region_name", ()),
    Internal("moto.cloudformation.custom_model.CustomModel.request_id", ()),
    Internal("moto.cloudformation.custom_model.CustomModel.set_data", ("self", "data")),
    Internal("moto.cloudformation.exceptions.ValidationError", ()),
    Internal("moto.cloudformation.exceptions.ValidationError.__init__", ("self", "name_or_id", "message")),
    Internal("moto.cloudformation.models.ChangeSet.parameters", ()),
    Internal("moto.cloudformation.models.ChangeSet.stack", ()),
    Internal("moto.cloudformation.models.ChangeSet.template", ()),
    Internal("moto.cloudformation.models.ChangeSet.template_dict", ()),
    Internal("moto.cloudformation.models.CloudFormationBackend.change_sets", ()),
    Internal("moto.cloudformation.models.CloudFormationBackend.deleted_stacks", ()),
    Internal("moto.cloudformation.models.CloudFormationBackend.exports", ()),
    Internal("moto.cloudformation.models.CloudFormationBackend.get_stack", ("self", "name_or_stack_id")),
    Internal("moto.cloudformation.models.CloudFormationBackend.stacks", ()),
    Internal(
        "moto.cloudformation.models.Event.__init__",
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
    ),
    Internal("moto.cloudformation.models.Stack._add_stack_event", ("self", "resource_status")),
    Internal("moto.cloudformation.models.Stack._create_output_map", ("self",)),
    Internal("moto.cloudformation.models.Stack.description", ()),
    Internal("moto.cloudformation.models.Stack.events", ()),
    Internal("moto.cloudformation.models.Stack.name", ()),
    Internal("moto.cloudformation.models.Stack.output_map", ()),
    Internal("moto.cloudformation.models.Stack.parameters", ()),
    Internal("moto.cloudformation.models.Stack.resource_map", ()),
    Internal("moto.cloudformation.models.Stack.stack_id", ()),
    Internal("moto.cloudformation.models.Stack.status", ()),
    Internal("moto.cloudformation.models.Stack.template", ()),
    Internal("moto.cloudformation.models.Stack.template_dict", ()),
    Internal("moto.cloudformation.parsing.OutputMap.__init__", ()),
    Internal("moto.cloudformation.parsing.clean_json", ("resource_json", "resources_map")),
    Internal("moto.cloudformation.responses.CloudFormationResponse._get_param", ("self", "param_name")),
    Internal("moto.cloudformation.utils.yaml_tag_constructor", ("loader", "tag", "node")),
    Internal("moto.cloudformation.responses.CloudFormationResponse.cloudformation_backend", ()),
    Internal("moto.cloudformation.responses.CloudFormationResponse._get_action", ("self",)),
    Internal("moto.cloudformation.responses.CloudFormationResponse._enrich_response", ("headers", "body")),
    Internal("moto.cloudformation.responses.CloudFormationResponse.serialized", ("self", "action_result")),
    Internal(
        "moto.cloudformation.responses.CloudFormationResponse._get_param_values",
        ("self", "parameters_list", "existing_params"),
    ),
    Internal("moto.cloudformation.parsing.ResourceMap._account_id", ()),
    Internal("moto.cloudformation.parsing.ResourceMap.input_parameters", ()),
    Internal("moto.cloudformation.parsing.ResourceMap._parsed_resources", ()),
    Internal("moto.cloudformation.parsing.ResourceMap._region_name", ()),
    Internal("moto.cloudformation.parsing.ResourceMap.lazy_condition_map", ()),
    Internal("moto.cloudformation.parsing.ResourceMap._resource_json_map", ()),
    Internal("moto.cloudformation.parsing.ResourceMap._template", ()),
    Internal("moto.cloudformation.parsing.ResourceMap.resolved_parameters", ()),
    Internal("moto.cloudformation.parsing.ResourceMap.stack_id", ()),
    Internal("moto.cloudformation.parsing.NULL_MODELS", ()),
    Internal("moto.cloudformation.parsing.get_model_list", ()),
    Internal("moto.cloudformation.parsing.get_model_map", ()),
    Internal("moto.cloudformation.parsing.get_name_type_map", ()),
    Internal(
        "moto.cloudformation.parsing.parse_resource_and_generate_name", ("logical_id", "resource_json", "resources_map")
    ),
    Internal("moto.cloudformation.parsing.resource_name_property_from_type", ("resource_type",)),
    Internal("moto.core.base_backend.AccountSpecificBackend.get_session", ()),
    Internal("moto.core.base_backend.BaseBackend", ()),
    Internal("moto.core.base_backend.BaseBackend.account_id", ()),
    Internal("moto.core.base_backend.BaseBackend.region_name", ()),
    Internal("moto.core.common_models.CloudFormationModel.__init__", ()),
    Internal("moto.core.common_models.CloudFormationModel.cloudformation_name_type", ()),
    Internal("moto.core.common_models.CloudFormationModel.cloudformation_type", ()),
    Internal("moto.core.common_models.CloudFormationModel.create_from_cloudformation_json", ()),
    Internal("moto.core.common_models.CloudFormationModel.update_from_cloudformation_json", ()),
    Internal("moto.core.DEFAULT_ACCOUNT_ID", ()),
    Internal("moto.core.exceptions.AccessDeniedError.__init__", ("self", "user_arn", "action")),
    Internal("moto.core.exceptions.JsonRESTError.__init__", ("self", "error_type", "message")),
    Internal("moto.core.loaders.Loader", ()),
    Internal("moto.core.responses.ActionResult", ()),
    Internal("moto.core.responses.ActionResult.__init__", ("self", "result")),
    Internal("moto.core.responses.EmptyResult", ()),
    Internal("moto.core.responses.EmptyResult.__init__", ("self",)),
    Internal("moto.core.responses.BaseResponse._get_action", ("self",)),
    Internal("moto.core.responses.BaseResponse.body", ()),
    Internal("moto.core.responses.BaseResponse.current_account", ()),
    Internal("moto.core.responses.BaseResponse.data", ()),
    Internal("moto.core.responses.BaseResponse.headers", ()),
    Internal("moto.core.responses.BaseResponse.method", ()),
    Internal("moto.core.responses.BaseResponse.partition", ()),
    Internal("moto.core.responses.BaseResponse.raw_body", ()),
    Internal("moto.core.responses.BaseResponse.raw_path", ()),
    Internal("moto.core.responses.BaseResponse.region", ()),
    Internal("moto.core.responses.BaseResponse.service_name", ()),
    Internal("moto.core.responses.BaseResponse.uri", ()),
    Internal("moto.core.utils.iso_8601_datetime_with_milliseconds", ()),
    Internal("moto.cloudwatch.models.Alarm", ()),
    Internal("moto.cloudwatch.models.Alarm.actions_enabled", ()),
    Internal("moto.cloudwatch.models.Alarm.alarm_actions", ()),
    Internal("moto.cloudwatch.models.Alarm.alarm_arn", ()),
    Internal("moto.cloudwatch.models.Alarm.comparison_operator", ()),
    Internal("moto.cloudwatch.models.Alarm.configuration_updated_timestamp", ()),
    Internal("moto.cloudwatch.models.Alarm.datapoints_to_alarm", ()),
    Internal("moto.cloudwatch.models.Alarm.description", ()),
    Internal("moto.cloudwatch.models.Alarm.dimensions", ()),
    Internal("moto.cloudwatch.models.Alarm.evaluate_low_sample_count_percentile", ()),
    Internal("moto.cloudwatch.models.Alarm.evaluation_periods", ()),
    Internal("moto.cloudwatch.models.Alarm.extended_statistic", ()),
    Internal("moto.cloudwatch.models.Alarm.history", ()),
    Internal("moto.cloudwatch.models.Alarm.insufficient_data_actions", ()),
    Internal("moto.cloudwatch.models.Alarm.metric_data_queries", ()),
    Internal("moto.cloudwatch.models.Alarm.metric_name", ()),
    Internal("moto.cloudwatch.models.Alarm.name", ()),
    Internal("moto.cloudwatch.models.Alarm.namespace", ()),
    Internal("moto.cloudwatch.models.Alarm.ok_actions", ()),
    Internal("moto.cloudwatch.models.Alarm.period", ()),
    Internal("moto.cloudwatch.models.Alarm.region_name", ()),
    Internal("moto.cloudwatch.models.Alarm.rule", ()),
    Internal("moto.cloudwatch.models.Alarm.state_reason", ()),
    Internal("moto.cloudwatch.models.Alarm.state_reason_data", ()),
    Internal("moto.cloudwatch.models.Alarm.state_updated_timestamp", ()),
    Internal("moto.cloudwatch.models.Alarm.state_value", ()),
    Internal("moto.cloudwatch.models.Alarm.statistic", ()),
    Internal("moto.cloudwatch.models.Alarm.threshold", ()),
    Internal("moto.cloudwatch.models.Alarm.treat_missing_data", ()),
    Internal("moto.cloudwatch.models.Alarm.unit", ()),
    Internal("moto.cloudwatch.models.Alarm.update_state", ("self", "reason", "reason_data", "state_value")),
    Internal("moto.cloudwatch.models.CloudWatchBackend.alarms", ()),
    Internal("moto.cloudwatch.models.CloudWatchBackend.metric_data", ()),
    Internal("moto.cloudwatch.models.CloudWatchBackend.put_metric_data", ("self", "namespace", "metric_data")),
    Internal("moto.cloudwatch.models.MetricDatum", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase.dimensions", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase.name", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase.namespace", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase.timestamp", ()),
    Internal("moto.cloudwatch.models.MetricDatumBase.unit", ()),
    Internal("moto.cloudwatch.models.MetricDatum.value", ()),
    Internal("moto.cloudwatch.models.cloudwatch_backends.items", ()),
    Internal("moto.cloudwatch.models.CloudWatchBackend.delete_alarms", ("self", "alarm_names")),
    Internal("moto.cloudwatch.models.cloudwatch_backends", ()),
    Internal("moto.dynamodb.models.DynamoDBBackend.update_continuous_backups", ()),
    Internal("moto.dynamodb.models.DynamoDBBackend.tables", ()),
    Internal("moto.dynamodb.models.dynamodb_backends", ()),
    Internal("moto.dynamodb.models.table.Table", ()),
    Internal("moto.dynamodb.models.table.Table.name", ()),
    Internal("moto.dynamodb.models.table.Table.sse_specification", ()),
    Internal("moto.dynamodb.responses.DynamoHandler.body", ()),
    Internal(
        "moto.iam.access_control.IAMRequestBase.__init__",
        ("self", "account_id", "method", "path", "data", "body", "headers", "action"),
    ),
    Internal("moto.iam.access_control.IAMRequestBase.check_signature", ("self",)),
    Internal("moto.iam.access_control.PermissionResult.DENIED", ()),
    Internal("moto.iam.access_control.PermissionResult.NEUTRAL", ()),
    Internal("moto.iam.access_control.PermissionResult.PERMITTED", ()),
    Internal("moto.iam.access_control.S3IAMRequest", ()),
    Internal("moto.iam.aws_managed_policies.aws_managed_policies_data", ()),
    Internal("moto.iam.exceptions.NotFoundException", ()),
    Internal("moto.iam.exceptions.NotFoundException.__init__", ("self", "args")),
    Internal("moto.iam.models.AWSManagedPolicy", ()),
    Internal("moto.iam.models.AWSManagedPolicy.from_data", ("name", "account_id", "region_name", "data")),
    Internal("moto.iam.models.IAMBackend.access_keys", ()),
    Internal("moto.iam.models.IAMBackend.aws_managed_policies", ()),
    Internal("moto.iam.models.IAMBackend.delete_role_policy", ("self", "role_name", "policy_name")),
    Internal("moto.iam.models.IAMBackend.get_role", ("self", "role_name")),
    Internal("moto.iam.models.IAMBackend.get_role_by_arn", ("self", "arn")),
    Internal("moto.iam.models.IAMBackend.get_user_from_access_key_id", ("self", "access_key_id")),
    Internal("moto.iam.models.IAMBackend.managed_policies", ()),
    Internal("moto.iam.models.IAMBackend.put_role_policy", ("self", "role_name", "policy_name", "policy_json")),
    Internal("moto.iam.models.IAMBackend.roles", ()),
    Internal("moto.iam.models.ManagedPolicy", ()),
    Internal("moto.iam.models.Role.managed_policies", ()),
    Internal("moto.iam.models.Role.name", ()),
    Internal("moto.iam.models.Role.policies", ()),
    Internal("moto.iam.models.iam_backends", ()),
    Internal("moto.iam.models.iam_backends.items", ()),
    Internal("moto.kms.utils.AbstractPrivateKey.__init__", ()),
    Internal("moto.kms.utils.AbstractPrivateKey.public_key", ("self",)),
    Internal("moto.kms.utils.AbstractPrivateKey.sign", ("self", "message", "signing_algorithm")),
    Internal("moto.kms.utils.AbstractPrivateKey.verify", ("self", "message", "signature", "signing_algorithm")),
    Internal("moto.logs.exceptions.InvalidParameterException", ()),
    Internal("moto.logs.exceptions.InvalidParameterException.__init__", ("self", "msg")),
    Internal("moto.logs.models.LogGroup.subscription_filters", ()),
    Internal("moto.logs.models.LogStream.log_group", ()),
    Internal("moto.logs.models.LogsBackend.ensure_log_group", ("self", "log_group_name")),
    Internal("moto.logs.models.LogsBackend.ensure_log_stream", ("self", "log_group_name", "log_stream_name")),
    Internal("moto.logs.models.LogsBackend.groups", ()),
    Internal(
        "moto.logs.models.LogsBackend.put_log_events", ("self", "log_group_name", "log_stream_name", "log_events")
    ),
    Internal("moto.logs.models.logs_backends", ()),
    Internal("moto.moto_server.werkzeug_app.DomainDispatcherApplication.__init__", ()),
    Internal("moto.moto_server.werkzeug_app.MotoRequestHandler.make_environ", ("self",)),
    Internal("moto.moto_server.werkzeug_app.create_backend_app", ()),
    Internal("moto.s3.exceptions.BucketAccessDeniedError.__init__", ("self", "bucket")),
    Internal("moto.s3.exceptions.InvalidFilterRuleName", ()),
    Internal("moto.s3.exceptions.InvalidFilterRuleName.__init__", ("self", "value")),
    Internal("moto.s3.exceptions.S3AccessDeniedError.__init__", ()),
    Internal("moto.s3.models.FakeBucket.account_id", ()),
    Internal("moto.s3.models.FakeBucket.arn", ()),
    Internal("moto.s3.models.FakeBucket.is_versioned", ()),
    Internal("moto.s3.models.FakeBucket.keys", ()),
    Internal("moto.s3.models.FakeBucket.name", ()),
    Internal("moto.s3.models.FakeBucket.partition", ()),
    Internal("moto.s3.models.FakeBucket.policy", ()),
    Internal("moto.s3.models.FakeBucket.region_name", ()),
    Internal("moto.s3.models.FakeKey.etag", ()),
    Internal("moto.s3.models.FakeKey.name", ()),
    Internal("moto.s3.models.FakeKey.size", ()),
    Internal("moto.s3.models.FakeKey.version_id", ()),
    Internal("moto.s3.models.S3Backend.buckets", ()),
    Internal("moto.s3.models.S3Backend.get_bucket", ("self", "bucket_name")),
    Internal("moto.s3.models.S3Backend.delete_bucket_policy", ()),
    Internal("moto.s3.models.S3Backend.put_bucket_policy", ()),
    Internal("moto.s3.models.S3Backend.put_bucket_versioning", ()),
    Internal("moto.s3.models.S3Backend.put_public_access_block", ()),
    Internal("moto.s3.models.s3_backends", ()),
    Internal("moto.s3.notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT", ()),
    Internal("moto.s3.responses.S3Response.body", ()),
    Internal("moto.s3.responses.S3Response.parse_bucket_name_from_url", ("self", "request", "url")),
    Internal("moto.settings.load_iam_aws_managed_policies", ()),
    Internal("moto.sns.models.SNSBackend.get_topic", ("self", "arn")),
    Internal("moto.sns.models.SNSBackend.publish", ("self", "message", "arn")),
    Internal(
        "moto.sns.models.SNSBackend.set_topic_attribute", ("self", "topic_arn", "attribute_name", "attribute_value")
    ),
    Internal("moto.sns.models.SNSBackend.subscribe", ("self", "topic_arn", "endpoint", "protocol")),
    Internal("moto.sns.models.SNSBackend.topics", ()),
    Internal("moto.sns.models.SNSBackend.unsubscribe", ("self", "subscription_arn")),
    Internal("moto.sns.models.Topic._create_default_topic_policy", ("self", "region_name", "account_id", "name")),
    Internal("moto.sns.models.Topic.name", ()),
    Internal("moto.sns.models.sns_backends", ()),
    Internal("moto.sqs.models.Queue", ()),
    Internal("moto.sqs.models.Queue.approximate_number_of_messages", ()),
    Internal("moto.sqs.models.Queue.name", ()),
    Internal("moto.sqs.models.sqs_backends.items", ()),
    Internal("moto.sqs.models.SQSBackend.send_message", ("self", "queue_name", "message_body", "message_attributes")),
    Internal("moto.sqs.models.SQSBackend.queues", ()),
    Internal("moto.sqs.models.sqs_backends", ()),
    Internal("moto.sts.models.AssumedRole.access_key_id", ()),
    Internal("moto.sts.models.AssumedRole.account_id", ()),
    Internal("moto.sts.models.AssumedRole.arn", ()),
    Internal("moto.sts.models.AssumedRole.role_arn", ()),
    Internal("moto.sts.models.AssumedRole.secret_access_key", ()),
    Internal("moto.sts.models.AssumedRole.session_token", ()),
    Internal("moto.sts.models.AssumedRole.user_id", ()),
    Internal(
        "moto.sts.models.STSBackend.assume_role",
        ("self", "region_name", "role_session_name", "role_arn", "policy", "duration", "external_id"),
    ),
    Internal("moto.sts.models.STSBackend.get_assumed_role_from_access_key", ("self", "access_key_id")),
    Internal("moto.sts.models.sts_backends", ()),
    Internal("moto.utilities.utils.get_partition", ("region",)),
    Internal("werkzeug.serving.ThreadedWSGIServer.__init__", ()),
    Internal("werkzeug.serving.ThreadedWSGIServer.finish_request", ("self", "request", "client_address")),
]
# The class of what each backends dict holds, and of what these calls return or attributes hold,
# for touches().
BACKENDS = {
    "moto.awslambda.models.lambda_backends": "moto.awslambda.models.LambdaBackend",
    "moto.s3.models.s3_backends": "moto.s3.models.S3Backend",
    "moto.iam.models.iam_backends": "moto.iam.models.IAMBackend",
    "moto.sts.models.sts_backends": "moto.sts.models.STSBackend",
    "moto.logs.models.logs_backends": "moto.logs.models.LogsBackend",
    "moto.sqs.models.sqs_backends": "moto.sqs.models.SQSBackend",
    "moto.dynamodb.models.dynamodb_backends": "moto.dynamodb.models.DynamoDBBackend",
    "moto.cloudformation.cloudformation_backends": "moto.cloudformation.models.CloudFormationBackend",
    "moto.cloudwatch.models.cloudwatch_backends": "moto.cloudwatch.models.CloudWatchBackend",
    "moto.sns.models.sns_backends": "moto.sns.models.SNSBackend",
}
HOLDS = {
    "moto.awslambda.responses.LambdaResponse.backend": "moto.awslambda.models.LambdaBackend",
    "moto.cloudformation.responses.CloudFormationResponse.cloudformation_backend": (
        "moto.cloudformation.models.CloudFormationBackend"
    ),
    "moto.cloudformation.models.ChangeSet.stack": "moto.cloudformation.models.Stack",
    "moto.cloudformation.models.Stack.resource_map": "moto.cloudformation.parsing.ResourceMap",
    "moto.logs.models.LogStream.log_group": "moto.logs.models.LogGroup",
}
RETURNS = {
    "moto.awslambda.utils.get_backend": "moto.awslambda.models.LambdaBackend",
    "moto.awslambda.models.LambdaBackend.get_function": "moto.awslambda.models.LambdaFunction",
    "moto.sns.models.SNSBackend.get_topic": "moto.sns.models.Topic",
    "moto.sts.models.STSBackend.get_assumed_role_from_access_key": "moto.sts.models.AssumedRole",
    "moto.sts.models.STSBackend.assume_role": "moto.sts.models.AssumedRole",
    "moto.iam.models.IAMBackend.get_role_by_arn": "moto.iam.models.Role",
}


def registered() -> list[Internal]:
    """The registry's internals: each patch's target (for an added action, the class it goes on),
    each route's url_paths and handler."""
    from localcloud import patches

    found = [
        Internal(patch.target.rsplit(".", 1)[0]) if patch.adds else Internal(patch.target, patch.parameters)
        for patch in patches.PATCHES
    ]
    for route in patches.ROUTES:
        found += [Internal(f"{route.urls}.url_paths"), Internal(route.handler)]
    return list(dict.fromkeys(found))


def internals() -> list[Internal]:
    """Every internal: the registry's, then READ."""
    return registered() + READ


def is_class_annotation(annotation: ast.expr | None) -> bool:
    """type[Class]: the parameter is a class, not an instance."""
    return (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "type"
    )


def is_class(path: str) -> bool:
    """Whether a dotted path names a class (False when it names nothing: problems() reports it)."""
    try:
        return "()" not in path and inspect.isclass(resolve(path))
    except (ImportError, AttributeError):
        return False


class Touches(ast.NodeVisitor):
    """The moto attributes one module touches: names imported from moto, attributes of those names,
    and attributes of values whose moto class is known (from an annotation, a backends dict, a call
    in RETURNS, or an assignment of one of those); methods a subclass of a moto class overrides."""

    def __init__(self) -> None:
        self.imported: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.found: set[str] = set()

    def type_of(self, node: ast.expr | None) -> str | None:
        """The dotted path of what node is: an imported moto object, or an instance 'Class()'."""
        if isinstance(node, ast.Name):
            return self.types.get(node.id) or self.imported.get(node.id)
        if isinstance(node, ast.BinOp):  # Stack | None
            return self.type_of(node.left)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a string annotation
            return self.imported.get(node.value.split(" ", 1)[0])
        if isinstance(node, ast.Attribute):
            owner = self.type_of(node.value)
            if owner is None:
                return None
            held = f"{owner.removesuffix('()')}.{node.attr}"
            if owner.endswith("()") and held in HOLDS:  # an instance's attribute of a known class
                return HOLDS[held] + "()"
            return f"{owner}.{node.attr}"
        if isinstance(node, ast.Subscript):
            if is_class_annotation(node):
                return self.type_of(node.slice)
            owner = self.type_of(node.value)
            if owner in BACKENDS:
                return BACKENDS[owner] + "()"
            return owner if owner and owner.endswith("()") and owner.removesuffix("()") in BACKENDS.values() else None
        if isinstance(node, ast.Call):
            called = self.type_of(node.func)
            if called and is_class(called):
                return called + "()"
            called = called and called.replace("().", ".")
            return RETURNS[called] + "()" if called in RETURNS else None
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").split(".")[0] in PACKAGES:
            for alias in node.names:
                path = f"{node.module}.{alias.name}"
                self.imported[alias.asname or alias.name] = path
                self.found.add(path)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer = dict(self.types)
        for argument in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            kind = self.type_of(argument.annotation)
            if kind:
                self.types[argument.arg] = kind if is_class_annotation(argument.annotation) else kind + "()"
        self.generic_visit(node)
        self.types = outer

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            kind = self.type_of(base)
            if kind and is_class(kind):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and hasattr(resolve(kind), item.name):
                        self.found.add(f"{kind}.{item.name}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        kind = self.type_of(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and kind and kind.endswith("()"):
                self.types[target.id] = kind

    def visit_Call(self, node: ast.Call) -> None:
        called = self.type_of(node.func)
        if called and is_class(called):
            self.found.add(f"{called}.__init__")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        owner = self.type_of(node.value)
        if owner and "()." not in owner:  # an attribute of an attribute of an instance is not moto's
            self.found.add(f"{owner.removesuffix('()')}.{node.attr}")
        self.generic_visit(node)


def touches() -> dict[str, set[str]]:
    """Each moto attribute the local cloud's source touches, with the modules that touch it."""
    root = Path(__file__).parent
    found: dict[str, set[str]] = defaultdict(set)
    for source in sorted(root.rglob("*.py")):
        visitor = Touches()
        visitor.visit(ast.parse(source.read_text(encoding="utf-8")))
        module = ".".join(source.relative_to(root.parent).with_suffix("").parts)
        for path in visitor.found:
            found[path].add(module)
    return dict(found)


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
    """What no longer matches, one line per internal naming the modules that touch it (empty when
    every one does)."""
    import moto

    found = [] if moto.__version__ == MOTO_VERSION else [f"moto is {moto.__version__}, not {MOTO_VERSION}"]
    from localcloud import patches

    users = touches()
    for patch in patches.PATCHES:
        target = patch.target.rsplit(".", 1)[0] if patch.adds else patch.target
        users.setdefault(target, set()).add(patch.replacement.__module__)
    for internal in internals():
        used_by = ", ".join(sorted(users.get(internal.path, {"no module"})))
        try:
            target = resolve(internal.path)
        except (ImportError, AttributeError) as error:
            found.append(f"{internal.path} (used by {used_by}): {error}")
            continue
        if internal.parameters:
            target = target.fget if isinstance(target, property) else target
            names = tuple(inspect.signature(target).parameters)[: len(internal.parameters)]  # type: ignore[arg-type]
            if names != internal.parameters:
                found.append(f"{internal.path} (used by {used_by}): parameters {names}, expected {internal.parameters}")
    return found


def check() -> None:
    """Raise, naming every internal that moved, unless the installed moto is the one the local
    cloud was written for."""
    found = problems()
    if found:
        raise RuntimeError(
            f"the local cloud was written for moto {MOTO_VERSION} and these of its internals changed "
            "(pip install -e '.[local]' installs that version; to upgrade, revisit each module named):\n  "
            + "\n  ".join(found)
        )
