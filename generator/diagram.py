"""A Mermaid flowchart of a rendered template: resources as nodes, Ref/GetAtt/Sub/DependsOn edges."""

from __future__ import annotations

from templategraph import depends_on, references


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
        for target in sorted(used | depends_on(resource)):
            arrow = "-->" if target in used else "-.->"
            lines.append(f"    {name} {arrow} {target}")
    return "\n".join(lines) + "\n"
