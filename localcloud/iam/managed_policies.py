"""IAM's AWS-managed policies, made as moto makes them (AWSManagedPolicy.from_data of moto's data)
but when first needed, not all 1,582 whenever an account's IAM backend is built (150-170 ms of
the first request, measured): one when its ARN is looked up, every one, in moto's order, when
anything lists or counts them."""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.core.base_backend import BaseBackend
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.exceptions import NotFoundException
from moto.iam.models import AWSManagedPolicy, IAMBackend, ManagedPolicy
from moto.settings import load_iam_aws_managed_policies

DECODER = json.JSONDecoder()
# moto's data: one JSON object, each policy's name a key on a line of its own.
DATA: str = aws_managed_policies_data


class AwsPolicies:
    """The AWS-managed policies of one IAM backend, each made once."""

    def __init__(self, backend: BaseBackend):
        self.account_id = backend.account_id
        self.region_name = backend.region_name
        self.made: dict[str, ManagedPolicy] = {}
        self.every_one: list[ManagedPolicy] | None = None
        self.lock = threading.RLock()

    def make(self, name: str, data: dict) -> ManagedPolicy:
        if name not in self.made:
            self.made[name] = AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data)
        return self.made[name]

    def with_arn(self, arn: str) -> ManagedPolicy | None:
        """The AWS-managed policy of this ARN, or None; only that policy's object of the data is read."""
        name = arn.rsplit("/", 1)[-1]
        with self.lock:
            if name not in self.made and self.every_one is None:
                key = f'\n "{name}":'
                start = DATA.find(key)
                if start < 0:
                    return None
                self.make(name, DECODER.raw_decode(DATA, start + len(key))[0])
            policy = self.made.get(name)
        return policy if policy is not None and policy.arn == arn else None

    def every(self) -> list[ManagedPolicy]:
        """Every AWS-managed policy, in the order of moto's data."""
        with self.lock:
            if self.every_one is None:
                data = json.loads(DATA)
                self.every_one = [self.make(name, policy) for name, policy in data.items()]
            return self.every_one


def filled_first(base: type, name: str):
    """base's method name, called once the collection is filled."""
    inherited = getattr(base, name)

    def method(self, *args: Any, **kwargs: Any) -> Any:
        self.fill()
        return inherited(self, *args, **kwargs)

    method.__name__ = name
    return method


def filled_before(*names: str):
    """A class decorator: each named method of the class's built-in base (its last: list or dict)
    fills it first."""

    def decorate(cls: type) -> type:
        for name in names:
            setattr(cls, name, filled_first(cls.__bases__[-1], name))
        return cls

    return decorate


class FilledWhenUsed:
    """One backend's collection of AWS-managed policies, filled with every one (filled_with, in
    moto's order) before its first use."""

    def __init__(self, policies: AwsPolicies):
        super().__init__()
        self.policies = policies
        self.filled = False

    def fill(self) -> None:
        with self.policies.lock:
            if not self.filled:
                self.filled_with(self.policies.every())
                self.filled = True


# Every list method but those that make it (the list is read only through these).
@filled_before(
    "__iter__",
    "__len__",
    "__getitem__",
    "__contains__",
    "__eq__",
    "__ne__",
    "__repr__",
    "__reversed__",
    "__add__",
    "__mul__",
    "__rmul__",
    "__iadd__",
    "__imul__",
    "__setitem__",
    "__delitem__",
    "copy",
    "index",
    "count",
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "sort",
    "reverse",
    "clear",
)
class AwsPolicyList(FilledWhenUsed, list):
    """moto's aws_managed_policies: the list is filled with every policy before its first use."""

    def filled_with(self, every: list[ManagedPolicy]) -> None:
        super().extend(every)


# Every dict method but a lookup by key and a new entry (a policy the account makes).
@filled_before(
    "__iter__",
    "__len__",
    "__eq__",
    "__ne__",
    "__repr__",
    "__reversed__",
    "__or__",
    "__ior__",
    "__delitem__",
    "keys",
    "values",
    "items",
    "copy",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "clear",
)
class ManagedPolicies(FilledWhenUsed, dict):
    """moto's managed_policies (ARN to policy, AWS's first, then the account's own in the order
    they were made): a lookup by ARN makes that AWS policy alone; anything else makes them all."""

    def filled_with(self, every: list[ManagedPolicy]) -> None:
        aws = {policy.arn: policy for policy in every}
        own = [(arn, policy) for arn, policy in super().items() if arn not in aws]
        super().clear()
        super().update(aws)
        super().update(own)

    def looked_up(self, arn: object) -> bool:
        """Whether arn is here, once the AWS policy it names (if any) is made."""
        if super().__contains__(arn):
            return True
        policy = self.policies.with_arn(arn) if isinstance(arn, str) and not self.filled else None
        if policy is None:
            return False
        super().__setitem__(arn, policy)
        return True

    def __contains__(self, arn: object) -> bool:
        return self.looked_up(arn)

    def __missing__(self, arn: Any) -> ManagedPolicy:
        if self.looked_up(arn):
            return super().__getitem__(arn)
        raise KeyError(arn)

    def get(self, arn: Any, default: Any = None) -> Any:
        return self[arn] if self.looked_up(arn) else default


def aws_policies(cloud, original, self: IAMBackend) -> list[ManagedPolicy]:
    """moto's _init_aws_policies: the AWS-managed policies, made when first used (none when moto
    is told not to load them)."""
    return AwsPolicyList(AwsPolicies(self)) if load_iam_aws_managed_policies() else original(self)


def managed_policies(cloud, original, self: IAMBackend) -> dict[str, ManagedPolicy]:
    """moto's _init_managed_policies: ARN to policy, the AWS-managed ones made when first used."""
    listed = self.aws_managed_policies
    return ManagedPolicies(listed.policies) if isinstance(listed, AwsPolicyList) else original(self)


def attach_role_policy(cloud, original, self: IAMBackend, policy_arn: str, role_name: str) -> None:
    """moto's AttachRolePolicy (its words when the policy is missing), the policy looked up by its
    ARN alone (moto's made every AWS-managed policy to find one)."""
    policy = self.managed_policies.get(policy_arn)
    if policy is None:
        raise NotFoundException(f"Policy {policy_arn} does not exist or is not attachable.")
    policy.attach_to(self.get_role(role_name))


def detach_role_policy(cloud, original, self: IAMBackend, policy_arn: str, role_name: str) -> None:
    """moto's DetachRolePolicy (its words when the role does not have it): the policy is the one
    the role holds."""
    role = self.get_role(role_name)
    policy = role.managed_policies.get(policy_arn)
    if policy is None:
        raise NotFoundException(f"Policy {policy_arn} was not found.")
    policy.detach_from(role)
