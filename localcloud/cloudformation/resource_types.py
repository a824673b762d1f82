"""The CloudFormation resource types moto lacks (AWS::S3::BucketPolicy,
AWS::Lambda::EventInvokeConfig, AWS::CloudWatch::Alarm, AWS::SNS::TopicPolicy,
AWS::SNS::Subscription), as one model class each: defining a CloudFormationModel subclass
registers it, and moto caches its model lists, so they are cleared afterwards. Only the server's
start calls register_missing(), never an import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

from localcloud.cloudformation import model_imports
from localcloud.cloudwatch import alarm_resource
from localcloud.lambda_ import event_invoke_config
from localcloud.s3 import bucket_policy
from localcloud.sns import topic_resources

# (key, properties, account_id, region_name): create or update what the resource stands for.
Apply = Callable[[Any, dict, str, str], None]
# (properties, account_id, region_name): create what the resource stands for; its key.
Create = Callable[[dict, str, str], Any]
# (key, account_id, region_name): undo it on delete.
Remove = Callable[[Any, str, str], None]


def register(resource_type: str, service: str, key_property: str, apply: Apply, remove: Remove) -> None:
    """A model for resource_type (once per process) whose key is its key_property (the bucket,
    function, alarm name or topics it configures): creating or updating it calls apply, deleting it
    remove."""

    def create(properties: dict, account_id: str, region_name: str) -> Any:
        apply(properties[key_property], properties, account_id, region_name)
        return properties[key_property]

    register_created(resource_type, service, create, remove)


def register_created(resource_type: str, service: str, create: Create, remove: Remove) -> None:
    """A model for resource_type (once per process) whose key is what create returns (a
    subscription's ARN): updating it creates it again, deleting it calls remove with the key."""
    if resource_type in parsing.get_model_map():
        return

    class Model(CloudFormationModel):
        __module__ = f"moto.{service}.uploadtrail"  # moto files every model under the service its module names

        def __init__(self, key: Any, account_id: str, region_name: str):
            self.key = key

        @staticmethod
        def cloudformation_type() -> str:
            return resource_type

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @property
        def physical_resource_id(self) -> str:
            return self.key if isinstance(self.key, str) else f"{resource_type}-{'|'.join(self.key)}"

        @classmethod
        def create_from_cloudformation_json(
            cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs: Any
        ) -> Model:
            return cls(create(cloudformation_json["Properties"], account_id, region_name), account_id, region_name)

        @classmethod
        def update_from_cloudformation_json(
            cls,
            original_resource: Model,
            new_resource_name: str,
            cloudformation_json: dict,
            account_id: str,
            region_name: str,
        ) -> Model:
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            remove(self.key, account_id, region_name)

    Model.__name__ = Model.__qualname__ = resource_type.rsplit("::", 1)[-1]
    model_imports.refresh_model_lists()


def register_missing() -> None:
    """Every resource type of the template that moto lacks, each configuring what its key names."""
    register("AWS::S3::BucketPolicy", "s3", "Bucket", bucket_policy.put_policy, bucket_policy.remove_policy)
    register(
        "AWS::Lambda::EventInvokeConfig",
        "awslambda",
        "FunctionName",
        event_invoke_config.put_event_invoke_config,
        event_invoke_config.remove_event_invoke_config,
    )
    register("AWS::CloudWatch::Alarm", "cloudwatch", "AlarmName", alarm_resource.put_alarm, alarm_resource.remove_alarm)
    register(
        "AWS::SNS::TopicPolicy", "sns", "Topics", topic_resources.put_topic_policy, topic_resources.remove_topic_policy
    )
    register_created("AWS::SNS::Subscription", "sns", topic_resources.subscribe, topic_resources.unsubscribe)
