"""CloudFormation custom resources as CloudFormation runs them (moto calls back to
host.docker.internal, never sends Update or Delete and ignores a FAILED answer): every request is
sent through Lambda's Invoke, synchronously, with a ResponseURL on a receiver beside the server,
and a FAILED answer fails the resource."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from moto.cloudformation.custom_model import CustomModel
from moto.cloudformation.parsing import ResourceMap

from localcloud.cloud import CustomResource, LocalCloud
from localcloud.cloudformation.stack_events import stack_of
from localcloud.lambda_ import execution


def send_custom_resource_request(
    cloud: LocalCloud,
    resource: CustomModel,
    record: CustomResource,
    request_type: str,
    properties: dict,
    old_properties: dict | None = None,
) -> dict:
    request_id = str(uuid.uuid4())
    event = {
        "RequestType": request_type,
        "ServiceToken": properties["ServiceToken"],
        "ResponseURL": f"{cloud.response_url}?stack={record.stack_id}",
        "StackId": record.stack_id,
        "RequestId": request_id,
        "LogicalResourceId": resource.logical_id,
        "ResourceType": record.resource_type,
        "ResourceProperties": properties,
    }
    if request_type != "Create":
        event["PhysicalResourceId"] = record.physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = old_properties
    account_id = record.stack_id.split(":")[4]
    result = execution.invoke(cloud, account_id, resource.region_name, properties["ServiceToken"], event)
    answer = cloud.custom_resource_answers.pop(request_id, None)
    if answer is None:
        detail = f": {result.payload}" if result.errored else ""
        raise RuntimeError(
            f"custom resource {resource.logical_id} sent no response to its {request_type} request{detail}"
        )
    if answer["Status"] != "SUCCESS":
        raise RuntimeError(f"{resource.logical_id}: {answer.get('Reason') or 'FAILED without reason'}")
    return answer


def create_custom_resource(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> CustomModel:
    """CustomModel.create_from_cloudformation_json: send Create and keep the answer's data."""
    resource = CustomModel(region_name, str(uuid.uuid4()), kwargs["LogicalId"], resource_name)
    record = CustomResource(kwargs["StackId"], kwargs["ResourceType"], cloudformation_json["Properties"])
    cloud.custom_resources[resource.request_id] = record
    answer = send_custom_resource_request(cloud, resource, record, "Create", record.properties)
    record.physical_id = answer.get("PhysicalResourceId") or resource_name
    resource.set_data(answer.get("Data") or {})
    stack = stack_of(account_id, region_name, record.stack_id)
    if stack is not None:
        stack.add_custom_resource(resource)
    return resource


def update_custom_resource(
    cloud: LocalCloud,
    original: Any,
    cls: type,
    original_resource: CustomModel,
    new_resource_name: str,
    cloudformation_json: dict,
    account_id: str,
    region_name: str,
) -> CustomModel:
    """CustomModel.update_from_cloudformation_json: send Update with the old properties."""
    record = cloud.custom_resources[original_resource.request_id]
    new_properties = cloudformation_json["Properties"]
    answer = send_custom_resource_request(cloud, original_resource, record, "Update", new_properties, record.properties)
    record.properties = new_properties
    record.physical_id = answer.get("PhysicalResourceId") or record.physical_id
    original_resource.set_data(answer.get("Data") or {})
    return original_resource


def delete_custom_resource(
    cloud: LocalCloud, original: Any, self: ResourceMap, parsed_resource: Any, resource_json: dict
) -> None:
    """ResourceMap._delete_resource: a custom resource gets a Delete request; the others are
    deleted as moto deletes them."""
    if not isinstance(parsed_resource, CustomModel):
        original(self, parsed_resource, resource_json)
        return
    record = cloud.custom_resources[parsed_resource.request_id]
    send_custom_resource_request(cloud, parsed_resource, record, "Delete", record.properties)
    cloud.custom_resources.pop(parsed_resource.request_id)


def start_response_receiver(cloud: LocalCloud) -> ThreadingHTTPServer:
    """The ResponseURL of every custom resource request, on the cloud's host: keeps each answer
    by RequestId in the cloud."""

    class ResponseReceiver(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            answer = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            cloud.custom_resource_answers[answer.get("RequestId", "")] = answer
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    receiver = ThreadingHTTPServer((cloud.host, 0), ResponseReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    cloud.response_url = f"http://{cloud.host}:{receiver.server_port}/"
    return receiver
