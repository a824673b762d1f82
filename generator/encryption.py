"""The customer-managed KMS key that the prod profile uses for table, logs, queue, function and alarm topic."""

from __future__ import annotations

from troposphere import GetAtt, Template, kms

from generator.config import Profile
from generator.metadata import annotate
from generator.outputs import add_output
from generator.policies import key_policy


def add_encryption_key(template: Template, profile: Profile) -> kms.Key | None:
    """The stack's KMS key with yearly rotation, or None when the profile uses AWS-managed keys."""
    if not profile.customer_managed_key:
        return None
    key = template.add_resource(
        kms.Key(
            "DataEncryptionKey",
            Description="uploadtrail: encrypts the invocation table, logs, queue, environment and alarm topic",
            EnableKeyRotation=True,
            PendingWindowInDays=30,
            KeyPolicy=key_policy(),
            DeletionPolicy=profile.deletion_policy,
            UpdateReplacePolicy=profile.replace_policy,
        )
    )
    annotate(key, "One customer-managed key for the table, log groups, queue, environment and alarm topic.")
    add_output(template, "KmsKeyArn", GetAtt(key, "Arn"), "ARN of the stack's KMS key")
    return key
