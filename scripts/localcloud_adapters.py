"""The adapters that close moto 5.2.5's gaps for this stack, all in one place.

Each adapter is a few lines with a comment naming the gap it closes; install() applies them all
to the moto server in this process. tests/localcloud/test_contracts.py fails when moto's
behaviour or internals change under one of them.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.cloudformation import cloudformation_backends, parsing
from moto.cloudformation.custom_model import CustomModel
from moto.cloudformation.models import Change, ChangeSet, CloudFormationBackend, Event, Stack
from moto.core.common_models import CloudFormationModel
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

from lambda_runner import FunctionSpec, LambdaRunner

MOTO_VERSION = "5.2.5"
# CloudFormation answers from custom resources, by RequestId: {"Status", "Reason", "Data"}.
ANSWERS: dict[str, dict] = {}
STATE: dict[str, Any] = {"runner": None}
ORIGINAL: dict[str, Any] = {}


def stack_of(account_id: str, region: str, stack_id: str) -> Stack | None:
    return cloudformation_backends[account_id][region].stacks.get(stack_id)


def add_event(stack: Stack | None, logical_id: str, physical_id: str, resource_type: str, status: str, reason: str | None = None) -> None:
    """A resource event in the stack's history (moto records only stack-level events)."""
    if stack is not None:
        stack.events.append(
            Event(stack.stack_id, stack.name, logical_id, physical_id, resource_type, status, reason, None)
        )


# 1. Running Lambda code: moto runs functions only in Docker (LambdaFunction._invoke_lambda).
#    Run the deployed package in a warm local worker instead, and keep its output in the
#    function's log group (LoggingConfig.LogGroup, which moto ignores, else /aws/lambda/<name>).
def invoke_locally(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    spec = FunctionSpec(
        name=self.function_name,
        arn=self.function_arn,
        region=self.region,
        handler=self.handler,
        code=self.code_bytes,
        environment=dict(self.environment_vars),
        timeout=float(self.timeout),
        memory=int(self.memory_size),
        log_group=self.logs_group_name,
    )
    result = STATE["runner"].invoke(spec, {} if event is None else event)
    self.logs_backend.ensure_log_group(self.logs_group_name)
    self.save_logs(result.logs)
    return result.payload, result.errored, result.logs


def function_with_log_group(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any) -> LambdaFunction:
    function = ORIGINAL["lambda_create"].__func__(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    log_group = cloudformation_json["Properties"].get("LoggingConfig", {}).get("LogGroup")
    if log_group:
        function.logs_group_name = log_group
    return function


# 2. Custom resources: moto's ResponseURL points at host.docker.internal, it invokes the function
#    in a thread, never sends Update or Delete, and ignores a FAILED answer. Send every request
#    synchronously with a ResponseURL on this server, and fail the resource on FAILED.
def send_custom_resource_request(resource: CustomModel, request_type: str, properties: dict, old_properties: dict | None = None) -> dict:
    request_id = str(uuid.uuid4())
    event = {
        "RequestType": request_type,
        "ServiceToken": properties["ServiceToken"],
        "ResponseURL": f"{STATE['response_url']}?stack={resource.stack_id}",
        "StackId": resource.stack_id,
        "RequestId": request_id,
        "LogicalResourceId": resource.logical_id,
        "ResourceType": resource.resource_type,
        "ResourceProperties": properties,
    }
    if request_type != "Create":
        event["PhysicalResourceId"] = resource.physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = old_properties
    function = resource.lambda_backend.get_function(properties["ServiceToken"])
    payload, errored, _ = function._invoke_lambda(event)
    answer = ANSWERS.pop(request_id, None)
    if answer is None:
        detail = f": {payload}" if errored else ""
        raise RuntimeError(f"custom resource {resource.logical_id} sent no response to its {request_type} request{detail}")
    if answer["Status"] != "SUCCESS":
        raise RuntimeError(f"{resource.logical_id}: {answer.get('Reason') or 'FAILED without reason'}")
    return answer


def create_custom_resource(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any) -> CustomModel:
    from moto.awslambda.utils import get_backend

    resource = CustomModel(region_name, str(uuid.uuid4()), kwargs["LogicalId"], resource_name)
    resource.stack_id = kwargs["StackId"]
    resource.resource_type = kwargs["ResourceType"]
    resource.lambda_backend = get_backend(account_id, region_name)
    resource.properties = cloudformation_json["Properties"]
    answer = send_custom_resource_request(resource, "Create", resource.properties)
    resource.physical_id = answer.get("PhysicalResourceId") or resource_name
    resource.set_data(answer.get("Data") or {})
    stack = stack_of(account_id, region_name, resource.stack_id)
    if stack is not None:
        stack.add_custom_resource(resource)
    return resource


def update_custom_resource(cls, original_resource: CustomModel, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str) -> CustomModel:
    new_properties = cloudformation_json["Properties"]
    answer = send_custom_resource_request(original_resource, "Update", new_properties, original_resource.properties)
    original_resource.properties = new_properties
    original_resource.physical_id = answer.get("PhysicalResourceId") or original_resource.physical_id
    original_resource.set_data(answer.get("Data") or {})
    return original_resource


def delete_custom_resource(self: CustomModel, account_id: str, region_name: str) -> None:
    send_custom_resource_request(self, "Delete", self.properties)


class ResponseReceiver(BaseHTTPRequestHandler):
    """The ResponseURL of every custom resource request: keeps each answer by RequestId."""

    def do_PUT(self) -> None:
        answer = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        ANSWERS[answer.get("RequestId", "")] = answer
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


# 3. Properties moto ignores: NotificationConfiguration, PublicAccessBlockConfiguration and
#    VersioningConfiguration of AWS::S3::Bucket, PointInTimeRecoverySpecification of
#    AWS::DynamoDB::Table; and AWS::S3::BucketPolicy does not exist in moto at all.
def apply_bucket_properties(bucket: FakeBucket, properties: dict, account_id: str, region_name: str) -> None:
    backend = s3_backends[account_id][get_partition(region_name)]
    functions = properties.get("NotificationConfiguration", {}).get("LambdaConfigurations", [])
    backend.put_bucket_notification_configuration(
        bucket.name,
        {"CloudFunctionConfiguration": [{"CloudFunction": f["Function"], "Event": [f["Event"]], "Filter": f.get("Filter")} for f in functions]},
    )
    block = properties.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(bucket.name, {key: str(value).lower() for key, value in block.items()})
    versioning = properties.get("VersioningConfiguration")
    if versioning:
        backend.put_bucket_versioning(bucket.name, versioning["Status"])


def create_bucket(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any) -> FakeBucket:
    bucket = ORIGINAL["bucket_create"].__func__(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
    return bucket


def update_bucket(cls, original_resource: FakeBucket, new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str) -> FakeBucket:
    bucket = ORIGINAL["bucket_update"].__func__(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
    apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
    return bucket


def create_table(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any) -> Table:
    table = ORIGINAL["table_create"].__func__(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    recovery = cloudformation_json["Properties"].get("PointInTimeRecoverySpecification")
    if recovery:
        dynamodb_backends[account_id][region_name].update_continuous_backups(table.name, recovery)
    return table


def define_bucket_policy_model() -> type:
    """AWS::S3::BucketPolicy for moto. Defining any CloudFormationModel subclass registers it
    with moto, so this happens only in install(), never on import."""

    class BucketPolicy(CloudFormationModel):
        """AWS::S3::BucketPolicy, which moto lacks: stores the policy on the bucket."""

        __module__ = "moto.s3.uploadtrail"  # moto files every model under the service its module names

        def __init__(self, bucket_name: str, account_id: str, region_name: str):
            self.bucket_name = bucket_name
            self.backend = s3_backends[account_id][get_partition(region_name)]

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::S3::BucketPolicy"

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @property
        def physical_resource_id(self) -> str:
            return self.bucket_name

        @classmethod
        def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any) -> "BucketPolicy":
            properties = cloudformation_json["Properties"]
            policy = cls(properties["Bucket"], account_id, region_name)
            policy.backend.put_bucket_policy(policy.bucket_name, json.dumps(properties["PolicyDocument"]).encode())
            return policy

        @classmethod
        def update_from_cloudformation_json(cls, original_resource: "BucketPolicy", new_resource_name: str, cloudformation_json: dict, account_id: str, region_name: str) -> "BucketPolicy":
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            if self.bucket_name in self.backend.buckets:
                self.backend.delete_bucket_policy(self.bucket_name)

    return BucketPolicy


#    moto denies every object request when a stored bucket policy has a statement with a
#    Condition (it has no request context to evaluate one). Conditions are not evaluated
#    locally: such statements are left out of the decision.
def permission_without_conditions(self: FakeBucket, action: str, resource: str) -> Any:
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy)
    statements = document.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    document["Statement"] = [s for s in statements if "Condition" not in s]
    return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)


# 4. Stack deletion (and creation order): moto deletes in hash-set order, "deletes" a non-empty bucket, drops the
#    stack from the listing when a delete fails, and re-creates deleted resources when a deleted
#    stack is described. Delete dependents first, refuse non-empty buckets as AWS does, keep a
#    failed stack listed as DELETE_FAILED, and leave nothing to re-create.
def deletion_order(template: dict) -> list[str]:
    """Logical IDs, each after every resource that refers to it (dependents first)."""
    from generator.diagram import references

    resources = template.get("Resources", {})
    names = set(resources)
    uses = {}
    for name, resource in resources.items():
        depends = resource.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        uses[name] = (references(resource.get("Properties", {}), names) | set(depends)) - {name}
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for dependency in sorted(uses[name]):
            visit(dependency)
        order.append(name)

    for name in sorted(resources):
        visit(name)
    return list(reversed(order))


def creation_order(self: parsing.ResourceMap) -> list[str]:
    """moto orders creation by DependsOn alone; follow Ref, GetAtt and Sub too."""
    return list(reversed(deletion_order({"Resources": self._resource_json_map})))


def ordered_diff(self: parsing.ResourceMap, other_template: dict, parameters: dict | None = None) -> dict:
    """moto adds and removes resources in template order on update (and on a CREATE change
    set); add in creation order and remove dependents first."""
    diff = ORIGINAL["build_resource_diff"](self, other_template, parameters)
    adding = list(reversed(deletion_order(other_template)))
    removing = deletion_order({"Resources": self._resource_json_map})
    diff["Add"] = sorted(diff["Add"], key=adding.index)
    diff["Remove"] = sorted(diff["Remove"], key=removing.index)
    return diff


def change_set_changes(self: ChangeSet) -> list[Change]:
    """moto leaves resources whose only change is a parameter's value (a new CodeKey) out of a
    change set, though executing it updates them; list them as Modify."""
    diff = self.stack.resource_map.build_resource_diff(self.template_dict, self.parameters)
    old = self.stack.resource_map._resource_json_map
    new = self.template_dict["Resources"]
    return [Change(action, name, (new.get(name) or old[name])["Type"]) for action in ("Add", "Modify", "Remove") for name in diff[action]]


def bucket_is_empty(bucket: FakeBucket) -> bool:
    return not bucket.keys


def delete_resources(self: parsing.ResourceMap) -> None:
    stack = stack_of(self._account_id, self._region_name, self.stack_id)
    for logical_id in deletion_order(self._template or {"Resources": self._resource_json_map}):
        resource_json = self._resource_json_map.get(logical_id, {})
        resource = self._parsed_resources.get(logical_id)
        if resource is None or isinstance(resource, str):
            continue
        resource_type = resource_json.get("Type", "")
        physical_id = getattr(resource, "physical_resource_id", logical_id)
        if resource_json.get("DeletionPolicy") == "Retain":
            add_event(stack, logical_id, physical_id, resource_type, "DELETE_SKIPPED")
            self._parsed_resources.pop(logical_id)
            continue
        add_event(stack, logical_id, physical_id, resource_type, "DELETE_IN_PROGRESS")
        try:
            if isinstance(resource, FakeBucket) and not bucket_is_empty(resource):
                raise RuntimeError(f"The bucket you tried to delete is not empty (Bucket: {resource.name})")
            self._delete_resource(resource, resource_json)
        except Exception as error:
            add_event(stack, logical_id, physical_id, resource_type, "DELETE_FAILED", str(error))
            raise
        add_event(stack, logical_id, physical_id, resource_type, "DELETE_COMPLETE")
        self._parsed_resources.pop(logical_id)
    self._resource_json_map = {}


def set_status(stack: Stack, status: str, reason: str | None = None) -> None:
    stack.status = status
    stack._add_stack_event(status, resource_status_reason=reason)


def remove_resources(stack: Stack, operation: str, reason: str) -> bool:
    """Delete the stack's resources as DELETE or ROLLBACK: <operation>_IN_PROGRESS, then
    _COMPLETE, or _FAILED with the error as reason; True when complete."""
    set_status(stack, f"{operation}_IN_PROGRESS", reason)
    try:
        stack.resource_map.delete()
    except Exception as error:
        set_status(stack, f"{operation}_FAILED", str(error))
        return False
    stack.output_map = parsing.OutputMap(stack.resource_map, {}, stack.stack_id)
    set_status(stack, f"{operation}_COMPLETE")
    return True


def delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
    stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.name, s.stack_id)), None)
    if stack is None:
        return
    export_names = [export.name for export in stack.exports]
    if remove_resources(stack, "DELETE", "User Initiated"):
        for name in export_names:
            self.exports.pop(name, None)
        self.stacks.pop(stack.stack_id)
        self.deleted_stacks[stack.stack_id] = stack


#    Resource events and failures: moto records only stack events, and an exception while
#    creating a resource escapes as a server error with the stack left half-made. Record
#    CREATE_*/UPDATE_* events per resource; a failed creation rolls the stack back
#    (ROLLBACK_COMPLETE) with the failure as the resource's reason, as CloudFormation does.
def with_events(action: str, original: str):
    """moto's parse_and_create_resource or parse_and_update_resource, recording the resource's
    <action>_IN_PROGRESS, then <action>_COMPLETE or <action>_FAILED with the error as reason."""

    def wrapped(logical_id: str, resource_json: dict, resources_map: parsing.ResourceMap, account_id: str, region_name: str) -> Any:
        stack = stack_of(account_id, region_name, resources_map.stack_id)
        resource_type = resource_json["Type"]
        add_event(stack, logical_id, "", resource_type, f"{action}_IN_PROGRESS")
        try:
            resource = ORIGINAL[original](logical_id, resource_json, resources_map, account_id, region_name)
        except Exception as error:
            add_event(stack, logical_id, "", resource_type, f"{action}_FAILED", f"{type(error).__name__}: {error}")
            raise
        if resource is None:  # a type moto cannot update keeps the resource it had
            resource = resources_map._parsed_resources.get(logical_id)
        add_event(stack, logical_id, str(getattr(resource, "physical_resource_id", "")), resource_type, f"{action}_COMPLETE")
        return resource

    return wrapped


def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    change_set = self.change_sets.get(change_set_name) or next(
        (c for c in self.change_sets.values() if c.change_set_name == change_set_name and stack_name in (None, c.stack_name, c.stack_id)),
        None,
    )
    stack = self.stacks[change_set.stack_id] if change_set else None
    try:
        ORIGINAL["execute_change_set"](self, change_set_name, stack_name)
        if stack is not None:  # moto keeps the parsed template and outputs the stack began with
            stack._parse_template()
            stack.description = stack.template_dict.get("Description")
            stack.output_map = stack._create_output_map()
    except Exception as error:
        if stack is None:
            raise
        change_set.execution_status = "EXECUTE_FAILED"
        if change_set.change_set_type == "CREATE":
            remove_resources(stack, "ROLLBACK", f"The following resource(s) failed to create: {error}")
        else:
            set_status(stack, "UPDATE_ROLLBACK_FAILED", f"{error} (the local cloud does not roll updates back)")


def install(endpoint: str) -> LambdaRunner:
    """Apply every adapter for a server reachable at endpoint, and start the custom-resource
    response receiver beside it; the Lambda runner they use."""
    import moto

    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(f"the local cloud's adapters were written for moto {MOTO_VERSION}, not {moto.__version__}: pip install -e '.[test]'")
    host = endpoint.split("//", 1)[1].rsplit(":", 1)[0]
    receiver = ThreadingHTTPServer((host, 0), ResponseReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    STATE["response_url"] = f"http://{host}:{receiver.server_port}/"
    STATE["runner"] = LambdaRunner(endpoint)
    if ORIGINAL:
        return STATE["runner"]
    ORIGINAL.update(
        lambda_create=LambdaFunction.create_from_cloudformation_json,
        bucket_create=FakeBucket.create_from_cloudformation_json,
        bucket_update=FakeBucket.update_from_cloudformation_json,
        table_create=Table.create_from_cloudformation_json,
        parse_and_create=parsing.parse_and_create_resource,
        parse_and_update=parsing.parse_and_update_resource,
        execute_change_set=CloudFormationBackend.execute_change_set,
        build_resource_diff=parsing.ResourceMap.build_resource_diff,
    )
    LambdaFunction._invoke_lambda = invoke_locally
    LambdaFunction.create_from_cloudformation_json = classmethod(function_with_log_group)
    CustomModel.create_from_cloudformation_json = classmethod(create_custom_resource)
    CustomModel.update_from_cloudformation_json = classmethod(update_custom_resource)
    CustomModel.delete = delete_custom_resource
    FakeBucket.create_from_cloudformation_json = classmethod(create_bucket)
    FakeBucket.update_from_cloudformation_json = classmethod(update_bucket)
    FakeBucket.get_permission = permission_without_conditions
    Table.create_from_cloudformation_json = classmethod(create_table)
    define_bucket_policy_model()
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    parsing.parse_and_create_resource = with_events("CREATE", "parse_and_create")
    parsing.parse_and_update_resource = with_events("UPDATE", "parse_and_update")
    parsing.ResourceMap.delete = delete_resources
    parsing.ResourceMap._ResourceMap__get_resources_in_dependency_order = creation_order
    parsing.ResourceMap.build_resource_diff = ordered_diff
    ChangeSet.diff = change_set_changes
    CloudFormationBackend.delete_stack = delete_stack
    CloudFormationBackend.execute_change_set = execute_change_set
    return STATE["runner"]
