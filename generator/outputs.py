"""Stack outputs, exported under the stack's name."""

from __future__ import annotations

from troposphere import Export, Output, Sub, Template


def add_output(template: Template, name: str, value, description: str) -> Output:
    """An output exported as "<stack name>-<name>" so other stacks can import it."""
    return template.add_output(
        Output(
            name,
            Description=description,
            Value=value,
            Export=Export(Sub("${AWS::StackName}-" + name)),
        )
    )
