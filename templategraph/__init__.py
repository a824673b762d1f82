"""What a CloudFormation template's resources refer to, read from the template as data: used by
the generator's diagram and the local cloud's creation and deletion order."""

from __future__ import annotations

import re

SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def references(value, names: set[str]) -> set[str]:
    """The resource names in `names` that a property value refers to (Ref, GetAtt, Sub)."""
    if isinstance(value, list):
        return set().union(*(references(item, names) for item in value))
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for function, argument in value.items():
        if function == "Ref" and argument in names:
            found.add(argument)
        elif function == "Fn::GetAtt":
            target = argument.split(".", 1)[0] if isinstance(argument, str) else argument[0]
            found |= {target} & names
        elif function == "Fn::Sub":
            text = argument if isinstance(argument, str) else argument[0]
            found |= {name for name in SUB_VARIABLE.findall(text) if name in names}
            if isinstance(argument, list):
                found |= references(argument[1], names)
        else:
            found |= references(argument, names)
    return found


def depends_on(resource: dict) -> set[str]:
    """The logical IDs a resource names in its DependsOn (a string or a list)."""
    declared = resource.get("DependsOn", [])
    return {declared} if isinstance(declared, str) else set(declared)


def dependencies(resources: dict) -> dict[str, set[str]]:
    """Each resource's logical ID to the resources it uses, by reference or DependsOn."""
    names = set(resources)
    return {
        name: (references(resource.get("Properties", {}), names) | depends_on(resource)) - {name}
        for name, resource in resources.items()
    }
