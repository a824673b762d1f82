"""The one registry of moto patches: each is declared here as data (the moto attribute it
replaces, or the action it adds, the replacement, the AWS behaviour it reproduces; the URLs moto's
server does not route), and install() applies them all to this process, recording each original
so that uninstall() can put it back."""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud import service_models
from localcloud.cloud import LocalCloud
from localcloud.cloudformation import (
    custom_resources,
    deleted_stacks,
    model_imports,
    replacement,
    stack_operations,
    stack_requests,
    template_parsing,
    update_rollback,
)
from localcloud.cloudwatch import alarm_creation
from localcloud.dynamodb import table_description, table_properties, write_responses
from localcloud.iam import access_keys, identity_policies, managed_policies, role_policies
from localcloud.kms import private_keys
from localcloud.lambda_ import account_settings, async_invocation, execution, function_configuration
from localcloud.logs import filtering
from localcloud.s3 import bucket_policy, bucket_properties, events, notification_destinations, notifications

# Every replacement is called as replacement(cloud, original, *what moto passes).
Replacement = Callable[..., Any]


@dataclass(frozen=True)
class Patch:
    """One moto attribute replaced: target is its dotted path; parameters the leading parameter
    names of moto's original that the replacement relies on (checked against the installed moto);
    adds: the target is an action moto does not implement, added (its original is None)."""

    target: str
    replacement: Replacement
    reproduces: str
    parameters: tuple[str, ...] = ()
    adds: bool = False


@dataclass(frozen=True)
class Route:
    """A URL moto's server does not route: pattern (in moto's urls.py form, "{0}" its URL base)
    added to the url_paths of the urls module, served by handler (a dotted path)."""

    urls: str
    pattern: str
    handler: str
    reproduces: str


# apply(resource, the template's Properties, account_id, region_name): what moto's CloudFormation
# ignores, applied to the resource moto made.
Apply = Callable[[Any, dict, str, str], None]


def created_then(apply: Apply) -> Replacement:
    """A create_from_cloudformation_json replacement: moto's original, then apply."""

    def replacement(cloud, original, cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        resource = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        apply(resource, cloudformation_json.get("Properties", {}), account_id, region_name)
        return resource

    return replacement


def updated_then(apply: Apply) -> Replacement:
    """An update_from_cloudformation_json replacement: moto's original, then apply."""

    def replacement(
        cloud, original, cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        resource = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        apply(resource, cloudformation_json.get("Properties", {}), account_id, region_name)
        return resource

    return replacement


LAMBDA = "moto.awslambda.models"
LOGS = "moto.logs.models"
CFN = "moto.cloudformation"
FROM_TEMPLATE = ("resource_name", "cloudformation_json", "account_id", "region_name")
UPDATE_FROM_TEMPLATE = ("original_resource", "new_resource_name", "cloudformation_json", "account_id", "region_name")
RESPONSE = ("self", "request", "full_url", "headers")
PATCHES = [
    # Every service
    Patch(
        "moto.core.utils.create_loader",
        service_models.shared_loader,
        "every service answers from its API model as moto loads it (one loader reads them all)",
    ),
    Patch(
        "moto.core.utils.service_name_from_moto_package_name",
        service_models.service_named,
        "an error is answered in its service's model, the service named from the one loader's list",
        ("moto_package_name",),
    ),
    # Lambda
    Patch(
        f"{LAMBDA}.LambdaFunction._invoke_lambda",
        execution.invoke_locally,
        "Lambda runs the function's code (in a warm local worker, not Docker)",
        ("self", "event"),
    ),
    Patch(
        f"{LAMBDA}.LambdaFunction.invoke",
        async_invocation.invoke_by_type,
        "Invoke answers one request id (the handler's), FunctionError Unhandled and ExecutedVersion; "
        "InvocationType=Event is queued and answered 202 at once",
        ("self", "body", "request_headers", "response_headers"),
    ),
    Patch(
        "moto.awslambda.responses.LambdaResponse._enrich_response",
        async_invocation.keep_request_id,
        "every Lambda answer has one x-amzn-RequestId, a UUID: an invocation's is the id its handler and log lines saw",
        ("headers", "body"),
    ),
    Patch(
        "moto.awslambda.responses.LambdaResponse.get_account_settings",
        account_settings.get_account_settings,
        "GetAccountSettings answers the account's limits, unreserved concurrency and usage",
        adds=True,
    ),
    Patch(
        "moto.awslambda.responses.LambdaResponse.create_function",
        execution.create_function_answer,
        "a function's first execution environment starts when CreateFunction made it",
        ("self",),
    ),
    Patch(
        f"{LAMBDA}.LambdaBackend.create_function",
        function_configuration.create_function,
        "CreateFunction keeps DeadLetterConfig and refuses a dead-letter queue the role may not send to",
        ("self", "spec"),
    ),
    Patch(
        f"{LAMBDA}.LambdaFunction.create_from_cloudformation_json",
        function_configuration.create_from_template,
        "AWS::Lambda::Function keeps LoggingConfig, DeadLetterConfig, Architectures and ReservedConcurrentExecutions",
        FROM_TEMPLATE,
    ),
    Patch(
        f"{LAMBDA}.LambdaFunction.update_configuration",
        function_configuration.update_configuration,
        "UpdateFunctionConfiguration keeps DeadLetterConfig (refusing an unsendable one) and LoggingConfig, "
        "answering InProgress",
        ("self", "config_updates"),
    ),
    Patch(
        f"{LAMBDA}.LambdaFunction.update_function_code",
        function_configuration.update_code,
        "UpdateFunctionCode answers InProgress and a new RevisionId",
        ("self", "updated_spec"),
    ),
    Patch(
        f"{LAMBDA}.LambdaBackend.delete_function",
        execution.delete_function,
        "DeleteFunction (also a stack's) stops the function's execution environments",
        ("self", "function_name", "qualifier"),
    ),
    Patch(
        f"{LAMBDA}.LambdaFunction.get_configuration",
        function_configuration.configuration,
        "GetFunctionConfiguration answers DeadLetterConfig, LoggingConfig, RevisionId, RuntimeVersionConfig, "
        "Pending then Active, InProgress then Successful",
        ("self", "on_create"),
    ),
    # S3
    Patch(
        "moto.s3.notifications._invoke_awslambda",
        notifications.deliver_to_lambda,
        "S3 hands a notification to Lambda as an asynchronous invocation",
        ("account_id", "event_body", "fn_arn", "region_name"),
    ),
    Patch(
        "moto.s3.models.S3Backend.put_bucket_notification_configuration",
        notification_destinations.put_notification_configuration,
        "S3 refuses a Lambda destination that does not exist or does not let S3 invoke it",
        ("self", "bucket_name", "notification_config"),
    ),
    Patch(
        "moto.s3.responses.S3Response._notification_config_from_body",
        notification_destinations.read_filter_rules,
        "S3 takes filter rule names in any case (Prefix, SUFFIX) and empty values",
        ("self",),
    ),
    Patch(
        "moto.s3.responses.S3Response._bucket_response",
        notification_destinations.answer_refusal,
        "S3 answers a refused destination with InvalidArgument and ArgumentName1/ArgumentValue1",
        ("self", "request", "full_url"),
    ),
    Patch(
        "moto.s3.notifications._get_s3_event",
        events.s3_event,
        "S3 event records carry userIdentity, requestParameters, responseElements, sequencer, versionId",
        ("event_name", "bucket", "key", "notification_id"),
    ),
    Patch(
        "moto.s3.notifications.send_event",
        events.send_event,
        "a multipart upload sends ObjectCreated:CompleteMultipartUpload alone",
        ("account_id", "event_name", "bucket", "key"),
    ),
    Patch(
        "moto.s3.models.S3Backend.complete_multipart_upload",
        events.complete_multipart_upload,
        "a multipart upload sends ObjectCreated:CompleteMultipartUpload alone",
        ("self", "bucket_name", "multipart_id", "body"),
    ),
    Patch(
        "moto.s3.responses.S3Response.key_response",
        events.serve_with_context,
        "S3 answers with x-amz-request-id and x-amz-id-2, the values its events carry",
        RESPONSE,
    ),
    Patch(
        "moto.s3.responses.S3Response.bucket_response",
        events.serve_with_context,
        "S3 answers with x-amz-request-id and x-amz-id-2, the values its events carry",
        RESPONSE,
    ),
    Patch(
        "moto.s3.models.FakeBucket.get_permission",
        bucket_policy.get_permission,
        "S3 evaluates a bucket policy's principals and conditions",
        ("self", "action", "resource"),
    ),
    Patch(
        "moto.s3.responses.S3Response._key_response",
        bucket_policy.key_response,
        "S3 answers a bucket policy's denial with AccessDenied",
        ("self", "request", "full_url"),
    ),
    Patch(
        "moto.s3.models.FakeBucket.create_from_cloudformation_json",
        created_then(bucket_properties.apply_bucket_properties),
        "AWS::S3::Bucket applies NotificationConfiguration, PublicAccessBlockConfiguration, VersioningConfiguration",
        FROM_TEMPLATE,
    ),
    Patch(
        "moto.s3.models.FakeBucket.update_from_cloudformation_json",
        updated_then(bucket_properties.apply_bucket_properties),
        "AWS::S3::Bucket applies NotificationConfiguration, PublicAccessBlockConfiguration, VersioningConfiguration",
        UPDATE_FROM_TEMPLATE,
    ),
    # DynamoDB
    Patch(
        "moto.dynamodb.models.table.Table.create_from_cloudformation_json",
        created_then(table_properties.apply_table_properties),
        "AWS::DynamoDB::Table applies PointInTimeRecoverySpecification",
        FROM_TEMPLATE,
    ),
    Patch(
        "moto.dynamodb.models.table.Table.describe",
        table_description.describe,
        "DescribeTable answers TableId and SSEDescription, and no empty index lists",
        ("self", "base_key"),
    ),
    Patch(
        "moto.dynamodb.responses.DynamoHandler.update_item",
        write_responses.without_unasked_metrics,
        "UpdateItem answers ConsumedCapacity and ItemCollectionMetrics only when asked",
        ("self",),
    ),
    Patch(
        "moto.dynamodb.responses.DynamoHandler.batch_write_item",
        write_responses.without_unasked_metrics,
        "BatchWriteItem answers ConsumedCapacity and ItemCollectionMetrics only when asked",
        ("self",),
    ),
    Patch(
        "moto.dynamodb.responses.DynamoHandler.transact_write_items",
        write_responses.without_unasked_metrics,
        "TransactWriteItems answers ConsumedCapacity and ItemCollectionMetrics only when asked",
        ("self",),
    ),
    # CloudWatch
    Patch(
        "moto.cloudwatch.models.CloudWatchBackend.put_metric_alarm",
        alarm_creation.put_metric_alarm,
        "a new alarm starts in INSUFFICIENT_DATA; PutMetricAlarm on an existing one keeps its state",
        (
            "self",
            "name",
            "namespace",
            "metric_name",
            "comparison_operator",
            "evaluation_periods",
            "period",
            "threshold",
            "statistic",
            "description",
            "dimensions",
            "alarm_actions",
        ),
    ),
    # IAM
    Patch(
        "moto.core.authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action",
        identity_policies.authorize,
        "requests signed with a role's credentials are authorised against its policies",
        ("self", "iam_request_cls", "resource"),
    ),
    Patch(
        "moto.iam.models.get_account_id_from",
        access_keys.account_of,
        "a request's account is that of the IAM user owning its access key (partitions nobody used are not built)",
        ("access_key",),
    ),
    Patch(
        "moto.iam.models.IAMBackend._init_aws_policies",
        managed_policies.aws_policies,
        "every AWS-managed policy exists (each made when first looked up or listed)",
        ("self",),
    ),
    Patch(
        "moto.iam.models.IAMBackend._init_managed_policies",
        managed_policies.managed_policies,
        "every AWS-managed policy can be got, attached and listed (each made when first needed)",
        ("self",),
    ),
    Patch(
        "moto.iam.models.IAMBackend.attach_role_policy",
        managed_policies.attach_role_policy,
        "AttachRolePolicy attaches a managed policy (found by its ARN) or refuses one that does not exist",
        ("self", "policy_arn", "role_name"),
    ),
    Patch(
        "moto.iam.models.IAMBackend.detach_role_policy",
        managed_policies.detach_role_policy,
        "DetachRolePolicy detaches a policy the role has or refuses one it has not",
        ("self", "policy_arn", "role_name"),
    ),
    Patch(
        "moto.iam.models.Role.create_from_cloudformation_json",
        role_policies.create_role,
        "AWS::IAM::Role puts Policies as JSON documents and attaches ManagedPolicyArns",
        FROM_TEMPLATE,
    ),
    Patch(
        "moto.iam.models.Role.update_from_cloudformation_json",
        updated_then(role_policies.apply_policies),
        "AWS::IAM::Role keeps Policies and ManagedPolicyArns in step on update",
        UPDATE_FROM_TEMPLATE,
    ),
    Patch(
        "moto.iam.models.Role.delete_from_cloudformation_json",
        role_policies.delete_role,
        "CloudFormation detaches a role's managed policies before deleting it",
        FROM_TEMPLATE,
    ),
    # KMS
    Patch(
        "moto.kms.models.generate_private_key",
        private_keys.on_first_use,
        "KMS keys sign, verify and answer their public key as moto's do, the private half made at first use",
        ("key_spec",),
    ),
    # CloudWatch Logs
    Patch(
        f"{LOGS}.EventMessageFilter",
        filtering.event_filter,
        "FilterLogEvents and StartLiveTail answer only the events the filter pattern matches",
        ("pattern",),
    ),
    Patch(
        f"{LOGS}.LogsBackend.filter_log_events",
        filtering.refusing_invalid,
        "FilterLogEvents refuses a filter pattern AWS refuses with InvalidParameterException",
        (
            "self",
            "log_group_name",
            "log_stream_names",
            "start_time",
            "end_time",
            "limit",
            "next_token",
            "filter_pattern",
        ),
    ),
    Patch(
        f"{LOGS}.LogsBackend.put_subscription_filter",
        filtering.refusing_invalid,
        "PutSubscriptionFilter refuses a filter pattern AWS refuses with InvalidParameterException",
        ("self", "log_group_name", "filter_name", "filter_pattern"),
    ),
    Patch(
        f"{LOGS}.LogsBackend.put_metric_filter",
        filtering.refusing_invalid,
        "PutMetricFilter refuses a filter pattern AWS refuses with InvalidParameterException",
        ("self", "filter_name", "filter_pattern"),
    ),
    Patch(
        f"{LOGS}.LogStream._send_log_events",
        filtering.send_matching_events,
        "a subscription filter delivers only the events its pattern matches",
        ("self", "service", "destination_arn", "filter_name", "log_events"),
    ),
    # CloudFormation
    Patch(
        f"{CFN}.custom_model.CustomModel.create_from_cloudformation_json",
        custom_resources.create_custom_resource,
        "a custom resource's Create request is sent and its answer awaited",
        FROM_TEMPLATE,
    ),
    Patch(
        f"{CFN}.custom_model.CustomModel.update_from_cloudformation_json",
        custom_resources.update_custom_resource,
        "a custom resource gets an Update request",
        UPDATE_FROM_TEMPLATE,
    ),
    Patch(
        f"{CFN}.parsing.ResourceMap._delete_resource",
        custom_resources.delete_custom_resource,
        "a custom resource gets a Delete request",
        ("self", "parsed_resource", "resource_json"),
    ),
    Patch(
        f"{CFN}.parsing.resource_class_from_type",
        model_imports.resource_class,
        "CloudFormation knows every resource type: a deferred service's models load when a template needs them",
        ("resource_type",),
    ),
    Patch(
        f"{CFN}.parsing.parse_and_create_resource",
        stack_operations.create_with_events,
        "CloudFormation records CREATE_* events per resource",
        ("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
    ),
    Patch(
        f"{CFN}.parsing.parse_and_update_resource",
        replacement.update_or_replace,
        "CloudFormation records UPDATE_* events per resource and creates anew what a create-only change replaces",
        ("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
    ),
    Patch(
        f"{CFN}.parsing.ResourceMap.update",
        replacement.update_replacing,
        "an update that replaces resources deletes the old ones in its cleanup phase, by UpdateReplacePolicy",
        ("self", "template", "parameters"),
    ),
    Patch(
        f"{CFN}.parsing.ResourceMap.delete",
        stack_operations.delete_resources,
        "stack deletion deletes dependents first, refuses non-empty buckets and honours DeletionPolicy",
        ("self",),
    ),
    Patch(
        f"{CFN}.parsing.ResourceMap._ResourceMap__get_resources_in_dependency_order",
        stack_operations.creation_order,
        "CloudFormation creates in the order Ref, GetAtt, Sub and DependsOn imply",
        ("self",),
    ),
    Patch(
        f"{CFN}.parsing.ResourceMap.build_resource_diff",
        stack_operations.ordered_diff,
        "an update adds in creation order and removes dependents first",
        ("self", "other_template"),
    ),
    Patch(
        f"{CFN}.models.ChangeSet.diff",
        stack_operations.change_set_changes,
        "a change set lists resources whose only change is a parameter's value, and each Modify's Replacement, "
        "Scope and Details",
        ("self",),
    ),
    Patch(
        f"{CFN}.models.Stack.parse_template",
        template_parsing.parse_template,
        "CloudFormation reads a JSON template as JSON, any other as YAML with the short-form tags",
        ("template",),
    ),
    Patch(
        f"{CFN}.models.ChangeSet._parse_template",
        template_parsing.parse_change_set_template,
        "CloudFormation reads a change set's JSON template as JSON, any other as YAML with the short-form tags",
        ("self",),
    ),
    Patch(
        f"{CFN}.models.CloudFormationBackend.delete_stack",
        stack_operations.delete_stack,
        "a stack whose deletion fails stays listed as DELETE_FAILED",
        ("self", "name_or_stack_id"),
    ),
    Patch(
        f"{CFN}.models.CloudFormationBackend.execute_change_set",
        stack_operations.execute_change_set,
        "a failed first create rolls back, a failed update rolls back; the stack keeps the executed template's outputs",
        ("self", "change_set_name", "stack_name"),
    ),
    Patch(
        f"{CFN}.models.Stack.update",
        update_rollback.update_or_roll_back,
        "a failed UpdateStack rolls back to the previous template, parameters and resources",
        ("self", "template", "role_arn", "parameters", "tags"),
    ),
    Patch(
        f"{CFN}.models.Stack.stack_resources",
        stack_requests.created_resources,
        "a stack's resources are those it created: one whose Condition is false is in no answer of "
        "ListStackResources or DescribeStackResource(s), and DescribeStackResource finds the others",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse._validate_status",
        stack_requests.refuse_stuck_update,
        "UpdateStack refuses a stack in UPDATE_ROLLBACK_FAILED",
        ("self", "stack"),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.call_action",
        stack_requests.continue_update_rollback,
        "ContinueUpdateRollback retries a failed rollback, skipping ResourcesToSkip",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse._validate_different_update",
        stack_requests.refuse_unchanged_update,
        "an unchanged update: UpdateStack refuses it, CreateChangeSet makes a FAILED change set",
        ("self", "incoming_params", "stack_body", "old_stack"),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.get_template",
        stack_requests.template_with_stages,
        "GetTemplate answers StagesAvailable",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.update_termination_protection",
        stack_requests.update_termination_protection,
        "UpdateTerminationProtection sets the stack's protection and answers its StackId",
        adds=True,
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.delete_stack",
        stack_requests.delete_stack,
        "DeleteStack refuses a protected stack; a deleted stack keeps its DeletionTime",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.describe_stacks",
        deleted_stacks.with_deletion_times("Stacks"),
        "DescribeStacks of a deleted stack answers its DeletionTime",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.list_stacks",
        deleted_stacks.with_deletion_times("StackSummaries"),
        "ListStacks answers each deleted stack's DeletionTime",
        ("self",),
    ),
    Patch(
        f"{CFN}.responses.CloudFormationResponse.list_change_sets",
        stack_requests.list_change_sets,
        "ListChangeSets lists the named stack's change sets, none made before its last execution",
        ("self",),
    ),
]
ROUTES = [
    Route(
        "moto.awslambda.urls",
        account_settings.ROUTE,
        "moto.awslambda.responses.LambdaResponse.dispatch",
        "GetAccountSettings is served",
    ),
]
# Target to original, for every patch installed in this process; each route installed, by its key,
# with the url_paths that holds it.
ORIGINALS: dict[str, Any] = {}
ROUTED: dict[str, tuple[Route, dict]] = {}


def owner_and_name(target: str) -> tuple[Any, str]:
    """The module or class that holds a dotted path's last attribute, and that attribute's name."""
    path, name = target.rsplit(".", 1)
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            owner = getattr(owner, part)
        return owner, name
    raise ImportError(f"no module of {target} can be imported")


def bind(patch: Patch, cloud: LocalCloud, original: Any) -> Callable[..., Any]:
    @functools.wraps(patch.replacement)
    def patched(*args: Any, **kwargs: Any) -> Any:
        return patch.replacement(cloud, original, *args, **kwargs)

    return patched


def route_key(route: Route) -> str:
    return f"{route.urls}.url_paths {route.pattern}"


def install(cloud: LocalCloud, patches: list[Patch] = PATCHES, routes: list[Route] = ROUTES) -> None:
    """Apply every patch and route for this cloud. A target patched twice (in the list, or by an
    earlier install not undone) is refused: each behaviour has one replacement; so is an added
    action moto now has (the replacement may no longer be needed)."""
    targets = [patch.target for patch in patches] + [route_key(route) for route in routes]
    twice = sorted({target for target in targets if targets.count(target) > 1 or target in {**ORIGINALS, **ROUTED}})
    if twice:
        raise ValueError(f"moto attributes patched twice (merge their replacements): {', '.join(twice)}")
    present = [patch.target for patch in patches if patch.adds and hasattr(*owner_and_name(patch.target))]
    if present:
        raise ValueError(f"moto now has these added actions (compare before replacing): {', '.join(present)}")
    for patch in patches:
        owner, name = owner_and_name(patch.target)
        current = None if patch.adds else inspect.getattr_static(owner, name)
        # A class's inherited attribute (or an added one) has no original of its own: None, removed on uninstall.
        ORIGINALS[patch.target] = owner.__dict__.get(name) if inspect.isclass(owner) else current
        if isinstance(current, classmethod | staticmethod):
            setattr(owner, name, type(current)(bind(patch, cloud, current.__func__)))
        elif isinstance(current, property):
            setattr(owner, name, property(bind(patch, cloud, current.fget)))
        else:
            setattr(owner, name, bind(patch, cloud, current))
    for route in routes:
        paths = importlib.import_module(route.urls).url_paths
        paths[route.pattern] = getattr(*owner_and_name(route.handler))
        ROUTED[route_key(route)] = (route, paths)


def uninstall() -> None:
    """Put every original back: remove what was added (and a patch of what a class inherits)."""
    for route, paths in ROUTED.values():
        paths.pop(route.pattern)
    ROUTED.clear()
    for target, original in reversed(list(ORIGINALS.items())):
        owner, name = owner_and_name(target)
        if original is None:
            delattr(owner, name)
        else:
            setattr(owner, name, original)
    ORIGINALS.clear()
