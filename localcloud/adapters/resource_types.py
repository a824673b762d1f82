"""Registering CloudFormation resource types that moto lacks: defining a CloudFormationModel
subclass registers it, and moto caches its model lists, so they are cleared afterwards."""

from __future__ import annotations

from collections.abc import Callable

from moto.cloudformation import parsing


def register(resource_type: str, define: Callable[[], type]) -> None:
    """Define the model of resource_type (once per process) and make moto's parser see it."""
    if resource_type in parsing.get_model_map():
        return
    define()
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
