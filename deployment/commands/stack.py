"""What the read commands (status, logs, history, redrive) know of a deployed stack: its description and
outputs, or NoStack."""

from __future__ import annotations

from botocore.exceptions import ClientError

from deployment.errors import NoStack


def described(cloudformation, stack_name: str) -> dict:
    """DescribeStacks' answer for the stack; NoStack when there is none."""
    try:
        return cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    except ClientError as error:
        if "does not exist" in error.response["Error"]["Message"]:
            raise NoStack(stack_name) from error
        raise


def outputs_of(stack: dict) -> dict[str, str]:
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
