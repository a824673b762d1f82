"""build_template(profile): the whole uploadtrail stack as one troposphere Template."""

from __future__ import annotations

from troposphere import Template

from generator import __version__
from generator.alarms import add_alarms
from generator.cleanup import add_bucket_auto_delete
from generator.config import Profile
from generator.encryption import add_encryption_key
from generator.function import add_code_parameters, add_invocation_logger
from generator.metadata import set_template_metadata
from generator.storage import add_access_log_bucket, add_upload_bucket
from generator.table import add_invocation_table


def build_template(profile: Profile) -> Template:
    """A fresh template for one profile; nothing is shared between calls."""
    template = Template(
        Description=(
            f"uploadtrail {__version__} ({profile.name}): every object uploaded to the bucket "
            "invokes a Lambda function that logs the invocation in a DynamoDB table."
        )
    )
    template.set_version("2010-09-09")
    set_template_metadata(template, __version__, profile.name)
    code = add_code_parameters(template)
    key = add_encryption_key(template, profile)
    table = add_invocation_table(template, profile, key)
    logger = add_invocation_logger(template, profile, table, key, code)
    add_alarms(template, key, logger, table)
    log_bucket_policy = add_access_log_bucket(template, profile) if profile.access_logs else None
    bucket, bucket_policy = add_upload_bucket(template, profile, logger.function, logger.permission, log_bucket_policy)
    if profile.auto_delete_objects:
        add_bucket_auto_delete(template, profile, bucket, bucket_policy, key, code)
    return template
