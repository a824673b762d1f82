"""The sample function the local cloud's tests deploy (echo, raise, sleep, crash, log, answer a
custom resource: as its properties say, refusing every update while FAIL_UPDATES is set), and a
stack whose custom resource it answers."""

from __future__ import annotations

from tests.localcloud.stacks import python_function_template

APP = """
import json, logging, os, sys, time, urllib.request

LOGGER = logging.getLogger("app")
LOGGER.setLevel(logging.INFO)

def handler(event, context):
    action = event.get("action")
    if action == "sleep":
        time.sleep(30)
    if action == "crash":
        os._exit(3)
    if action == "raise":
        raise ValueError("bad input: " + str(event.get("value")))
    print("seen", json.dumps(event))
    return {"echo": event, "remaining": context.get_remaining_time_in_millis(), "table": os.environ.get("TABLE_NAME")}

def logs(event, context):
    LOGGER.info("hello", extra={"requestId": "item-7", "itemRequestId": "item-7"})
    return context.aws_request_id

def custom(event, context):
    answer = {
        "Status": event["ResourceProperties"].get("Answer", "SUCCESS"),
        "Reason": "told to " + event["ResourceProperties"].get("Answer", "succeed"),
        "PhysicalResourceId": "custom-1",
        "StackId": event["StackId"], "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"],
        "Data": {"Seen": event["RequestType"]},
    }
    if event["RequestType"] == "Delete" and event["ResourceProperties"].get("FailDelete"):
        answer["Status"], answer["Reason"] = "FAILED", "refusing to delete"
    if event["RequestType"] == "Update" and os.environ.get("FAIL_UPDATES"):
        answer["Status"], answer["Reason"] = "FAILED", "refusing to update"
    body = json.dumps(answer).encode()
    urllib.request.urlopen(urllib.request.Request(event["ResponseURL"], data=body, method="PUT"))
"""


def custom_resource_template(code_key: str, **properties) -> dict:
    template = python_function_template(code_key, handler="app.custom")
    template["Resources"]["Custom"] = {
        "Type": "Custom::Probe",
        "Properties": {"ServiceToken": {"Fn::GetAtt": ["Function", "Arn"]}, **properties},
    }
    template["Outputs"]["Seen"] = {"Value": {"Fn::GetAtt": ["Custom", "Seen"]}}
    return template
