"""What an update changes in each resource, as a change set describes a Modify: the properties
and attributes it changes (Scope, Details), whether a change requires recreation (the resource
schemas' create-only properties) and whether the resource is replaced (Replacement True,
Conditional or False); a resource that refers to a replaced one is modified too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from moto.cloudformation.parsing import ResourceMap

from localcloud.cloudformation.resource_schemas import create_only

# Resource attributes besides Properties that a change set names in Scope, in the API's order.
ATTRIBUTES = (
    "Properties",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Tags",
)
SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9:]+(?:\.[A-Za-z0-9.]+)?)\}")
ABSENT = object()


@dataclass
class Modification:
    """One resource's Modify: its ResourceChangeDetail entries, as the API answers them."""

    details: list[dict] = field(default_factory=list)

    @property
    def scope(self) -> list[str]:
        named = {detail["Target"]["Attribute"] for detail in self.details}
        return [attribute for attribute in ATTRIBUTES if attribute in named]

    @property
    def replacement(self) -> str:
        """True when a change that requires recreation is known before execution (Static),
        Conditional when it depends on what execution does (Dynamic, or a conditionally
        create-only property), False otherwise."""
        found = "False"
        for detail in self.details:
            recreation = detail["Target"]["RequiresRecreation"]
            if recreation == "Always" and detail["Evaluation"] == "Static":
                return "True"
            if recreation != "Never":
                found = "Conditional"
        return found

    @property
    def replaces(self) -> bool:
        """Whether executing the update creates a new resource: the local cloud updates no
        create-only property in place, so Conditional replaces too."""
        return self.replacement != "False"

    def changes(self, name: str) -> bool:
        """Whether the update changes the property's value (directly or through what it refers to)."""
        return any(detail["Target"].get("Name") == name for detail in self.details)


def mentions(value: Any) -> set[str]:
    """What a value refers to: "Name" for a Ref (or ${Name}), "Name.Attribute" for a GetAtt."""
    if isinstance(value, list):
        return set().union(*(mentions(item) for item in value))
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for function, argument in value.items():
        if function == "Ref" and isinstance(argument, str):
            found.add(argument)
        elif function == "Fn::GetAtt":
            found.add(argument if isinstance(argument, str) else ".".join(map(str, argument)))
        elif function == "Fn::Sub":
            text = argument if isinstance(argument, str) else argument[0]
            found |= set(SUB_VARIABLE.findall(text))
            if isinstance(argument, list):
                found |= mentions(argument[1])
        else:
            found |= mentions(argument)
    return found


def at(value: Any, path: list[str]) -> Any:
    """The value at a JSON pointer's path ("*" stands for each item of a list)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == "*":
        return [at(item, rest) for item in value] if isinstance(value, list) else ABSENT
    return at(value[head], rest) if isinstance(value, dict) and head in value else ABSENT


def requires_recreation(resource_type: str, name: str, before: Any, after: Any, causes: set[str]) -> str:
    """Never, Conditionally or Always: whether a create-only pointer under the property changes
    (its value differs, or refers to one of causes)."""
    properties_before, properties_after = {name: before}, {name: after}

    def touched(pointer: str) -> bool:
        path = pointer.split("/")[2:]
        if path[0] != name:
            return False
        new = at(properties_after, path)
        return at(properties_before, path) != new or bool(mentions(new) & causes)

    schema = create_only(resource_type)
    if any(touched(pointer) for pointer in schema.always):
        return "Always"
    return "Conditionally" if any(touched(pointer) for pointer in schema.conditionally) else "Never"


def detail(attribute: str, name: str | None, recreation: str, evaluation: str, source: str, entity=None) -> dict:
    target = {"Attribute": attribute, "RequiresRecreation": recreation} | ({"Name": name} if name else {})
    found = {"Target": target, "Evaluation": evaluation, "ChangeSource": source}
    return found | ({"CausingEntity": entity} if entity else {})


def property_details(resource_type: str, name: str, before: Any, after: Any, changed: set[str], replaced: set[str]):
    """The details of one property: a direct change to its value (Static), or a change of a
    parameter it refers to (Static, with CloudFormation's Dynamic re-evaluation) or of a replaced
    resource it refers to (Dynamic)."""
    attribute, named = ("Tags", None) if name == "Tags" else ("Properties", name)
    if before != after:
        recreation = requires_recreation(resource_type, name, before, after, set())
        return [detail(attribute, named, recreation, "Static", "DirectModification")]
    referred = mentions(after)
    parameters = sorted(referred & changed)
    resources = sorted(entity for entity in referred if entity.split(".", 1)[0] in replaced)
    recreation = requires_recreation(resource_type, name, before, after, set(parameters) | set(resources))
    found = [detail(attribute, named, recreation, "Static", "ParameterReference", p) for p in parameters]
    if parameters:
        found.append(detail(attribute, named, recreation, "Dynamic", "DirectModification"))
    for entity in resources:
        source = "ResourceAttribute" if "." in entity else "ResourceReference"
        found.append(detail(attribute, named, recreation, "Dynamic", source, entity))
    return found


def modification(old: dict, new: dict, changed: set[str], replaced: set[str]) -> Modification:
    resource_type = new["Type"]
    before, after = old.get("Properties", {}), new.get("Properties", {})
    found = Modification()
    for name in sorted(set(before) | set(after)):
        found.details += property_details(
            resource_type, name, before.get(name, ABSENT), after.get(name, ABSENT), changed, replaced
        )
    for attribute in ATTRIBUTES[1:-1]:
        if old.get(attribute) != new.get(attribute):
            found.details.append(detail(attribute, None, "Never", "Static", "DirectModification"))
    return found


def same(old: dict, new: dict) -> bool:
    """Whether two template entries of a resource are the same, moto's filled-in empty Properties
    aside (it adds them to the template it keeps, so a resource without any differs from itself)."""
    return {"Properties": {}} | old == {"Properties": {}} | new


def plan(old_resources: dict, new_resources: dict, changed_parameters: set[str]) -> dict[str, Modification]:
    """Each resource the update modifies, with what changes in it; resources that refer to a
    replaced one are re-evaluated until no more are replaced."""
    common = [
        name
        for name in new_resources
        if name in old_resources and old_resources[name]["Type"] == new_resources[name]["Type"]
    ]
    replaced: set[str] = set()
    while True:
        planned = {
            name: modification(old_resources[name], new_resources[name], changed_parameters, replaced - {name})
            for name in common
        }
        now = {name for name, change in planned.items() if change.replaces}
        if now == replaced:
            return {
                name: change
                for name, change in planned.items()
                if change.details or not same(old_resources[name], new_resources[name])
            }
        replaced = now


def planned(resource_map: ResourceMap, template: dict, parameters: dict | None) -> dict[str, Modification]:
    """plan() for a stack's resources and the template and parameters of its update (a parameter
    changes when its value differs from the one the stack has, as moto counts it)."""
    given = parameters or {}
    changed = {name for name, value in given.items() if resource_map.input_parameters.get(name) != value}
    return plan(resource_map._resource_json_map, template.get("Resources", {}), changed)
