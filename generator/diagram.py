"""A Mermaid flowchart of a rendered template: resources as nodes, Ref/GetAtt/Sub/DependsOn edges."""

from __future__ import annotations

import re

SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def references(value, names: set[str]) -> set[str]:
    """The resource names in `names` that a property value refers to."""
    if isinstance(value, list):
        return set().union(*(references(item, names) for item in value))
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for function, argument in value.items():
        if function == "Ref" and argument in names:
            found.add(argument)
        elif function == "Fn::GetAtt" and argument[0] in names:
            found.add(argument[0])
        elif function == "Fn::Sub":
            text = argument if isinstance(argument, str) else argument[0]
            found |= {name for name in SUB_VARIABLE.findall(text) if name in names}
            if isinstance(argument, list):
                found |= references(argument[1], names)
        else:
            found |= references(argument, names)
    return found


def mermaid_diagram(template: dict) -> str:
    """Flowchart text: an arrow from each resource to every resource it uses; dotted for
    DependsOn alone."""
    resources = template["Resources"]
    names = set(resources)
    lines = ["flowchart LR"]
    for name in sorted(resources):
        lines.append(f'    {name}["{name}<br/><small>{resources[name]["Type"]}</small>"]')
    for name in sorted(resources):
        resource = resources[name]
        used = references(resource.get("Properties", {}), names)
        depends_on = resource.get("DependsOn", [])
        depends_on = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        for target in sorted(used | depends_on):
            arrow = "-->" if target in used else "-.->"
            lines.append(f"    {name} {arrow} {target}")
    return "\n".join(lines) + "\n"
