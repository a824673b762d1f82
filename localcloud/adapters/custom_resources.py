"""Gap: moto's custom resources call back to host.docker.internal, never send Update or Delete,
and ignore a FAILED answer. Send every request synchronously, answered on a receiver beside the
server."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moto.cloudformation.custom_model import CustomModel

from localcloud.adapters.stack_events import stack_of

# CloudFormation answers from custom resources, by RequestId: {"Status", "Reason", "Data"}.
ANSWERS: dict[str, dict] = {}
STATE: dict[str, str] = {}


# 2. Custom resources: moto's ResponseURL points at host.docker.internal, it invokes the function
#    in a thread, never sends Update or Delete, and ignores a FAILED answer. Send every request
#    synchronously with a ResponseURL on this server, and fail the resource on FAILED.
def send_custom_resource_request(
    resource: CustomModel, request_type: str, properties: dict, old_properties: dict | None = None
) -> dict:
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
        raise RuntimeError(
            f"custom resource {resource.logical_id} sent no response to its {request_type} request{detail}"
        )
    if answer["Status"] != "SUCCESS":
        raise RuntimeError(f"{resource.logical_id}: {answer.get('Reason') or 'FAILED without reason'}")
    return answer


def create_custom_resource(
    cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
) -> CustomModel:
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


def update_custom_resource(
    cls,
    original_resource: CustomModel,
    new_resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
) -> CustomModel:
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


def install(host: str) -> ThreadingHTTPServer:
    """Start the response receiver on host and route custom resources through it; the receiver."""
    receiver = ThreadingHTTPServer((host, 0), ResponseReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    STATE["response_url"] = f"http://{host}:{receiver.server_port}/"
    CustomModel.create_from_cloudformation_json = classmethod(create_custom_resource)
    CustomModel.update_from_cloudformation_json = classmethod(update_custom_resource)
    CustomModel.delete = delete_custom_resource
    return receiver
