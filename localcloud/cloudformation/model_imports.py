"""AWS CloudFormation knows every resource type at once; moto's finds its models by importing the
model module of every service it knows (moto.cloudformation.parsing), a second at start. The
server imports those this stack's resource types need and defers the others, each name moto's
parsing binds from them standing in until first use; a template with a type of theirs imports them."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

# The services whose models this stack's resource types need (AWS::Logs::LogGroup is in logs).
NEEDED = ("awslambda", "cloudwatch", "dynamodb", "iam", "kms", "logs", "s3", "sns", "sqs")
# The others moto.cloudformation.parsing imports (ecr, events and kinesis load with the needed ones).
DEFERRED = (
    "apigateway",
    "autoscaling",
    "batch",
    "datapipeline",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "elb",
    "elbv2",
    "emr",
    "events",
    "iot",
    "kinesis",
    "rds",
    "redshift",
    "route53",
    "sagemaker",
    "ssm",
    "stepfunctions",
)


class Deferred:
    """Stands for the object at a dotted path of a deferred service (a module, a backends dict, a
    class): its attributes, items and isinstance checks import it first."""

    def __init__(self, path: str):
        self.path = path

    def target(self) -> object:
        try:
            return importlib.import_module(self.path)
        except ModuleNotFoundError as error:
            if error.name != self.path:
                raise
            module, name = self.path.rsplit(".", 1)
            return getattr(importlib.import_module(module), name)

    def __getattr__(self, name: str) -> object:
        return getattr(self.target(), name)

    def __getitem__(self, key: object) -> object:
        return self.target()[key]  # type: ignore[index]

    def __instancecheck__(self, instance: object) -> bool:
        # Nothing is an instance of a class whose module was never imported.
        return self.path.rsplit(".", 1)[0] in sys.modules and isinstance(instance, self.target())  # type: ignore[arg-type]


class StandIn(types.ModuleType):
    """A deferred service's module while moto's CloudFormation is imported: every name asked of it
    is a Deferred."""

    def __getattr__(self, name: str) -> Deferred:
        if name.startswith("__"):
            raise AttributeError(name)
        return Deferred(f"{self.__name__}.{name}")


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds a StandIn for every module of a deferred service not imported yet."""

    def find_spec(self, name, path, target=None):
        parts = name.split(".")
        if len(parts) > 1 and parts[0] == "moto" and parts[1] in DEFERRED:
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec) -> StandIn:
        return StandIn(spec.name)

    def exec_module(self, module) -> None:
        """Nothing runs: the service's own code loads on first use."""


@contextmanager
def standing_in() -> Iterator[None]:
    """Deferred services' modules are StandIns while inside; afterwards none is left in sys.modules
    or on its package, so the next import of one is the real one."""
    finder = StandInFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        stand_ins = {name: module for name, module in sys.modules.items() if isinstance(module, StandIn)}
        for name, module in stand_ins.items():
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            package = sys.modules.get(parent)
            if package is not None and vars(package).get(child) is module:
                delattr(package, child)


def import_cloudformation() -> None:
    """Import moto's CloudFormation with the needed services' models and the others deferred (before
    anything else imports it in this process)."""
    for service in NEEDED:
        importlib.import_module(f"moto.{service}.models")
    with standing_in():
        importlib.import_module("moto.cloudformation.models")


def import_deferred() -> None:
    """Import the models of every service still deferred and refresh moto's model lists."""
    missing = [service for service in DEFERRED if f"moto.{service}.models" not in sys.modules]
    for service in missing:
        importlib.import_module(f"moto.{service}.models")
    if missing:
        refresh_model_lists()


def refresh_model_lists() -> None:
    """Clear moto's cached model lists and fill them again, holding the old list meanwhile: for
    models defined at run time the cache is all that holds them (__subclasses__ is weak)."""
    from moto.cloudformation import parsing

    held = parsing.get_model_list()
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    parsing.get_model_map()
    del held


def resource_class(cloud, original, resource_type: str):
    """moto's model of a resource type, importing the deferred services' models first when no
    imported one has it (custom resources and moto's ignored types need none)."""
    from moto.cloudformation import parsing

    known = resource_type in parsing.get_model_map() or resource_type in parsing.NULL_MODELS
    if not (known or resource_type.startswith("Custom::")):
        import_deferred()
    return original(resource_type)
