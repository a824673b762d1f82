"""AWS::SNS::TopicPolicy and AWS::SNS::Subscription, which moto's CloudFormation lacks: a policy
set as each listed topic's Policy attribute (removed on delete: the topic keeps SNS's default), and
a subscription made with moto's Subscribe (its ARN the physical id, unsubscribed on delete)."""

from __future__ import annotations

import json

from moto.sns.models import sns_backends


def put_topic_policy(topics: list[str], properties: dict, account_id: str, region_name: str) -> None:
    """Set the policy document on every topic listed."""
    backend = sns_backends[account_id][region_name]
    for topic_arn in topics:
        backend.set_topic_attribute(topic_arn, "policy", json.dumps(properties["PolicyDocument"]))


def remove_topic_policy(topics: list[str], account_id: str, region_name: str) -> None:
    """Give every listed topic that still exists SNS's default policy back."""
    backend = sns_backends[account_id][region_name]
    for topic_arn in topics:
        if topic_arn in backend.topics:
            topic = backend.get_topic(topic_arn)
            default = topic._create_default_topic_policy(region_name, account_id, topic.name)
            backend.set_topic_attribute(topic_arn, "policy", json.dumps(default))


def subscribe(properties: dict, account_id: str, region_name: str) -> str:
    """Subscribe the endpoint to the topic; the subscription's ARN."""
    backend = sns_backends[account_id][region_name]
    return backend.subscribe(properties["TopicArn"], properties["Endpoint"], properties["Protocol"]).arn


def unsubscribe(subscription_arn: str, account_id: str, region_name: str) -> None:
    sns_backends[account_id][region_name].unsubscribe(subscription_arn)
