"""The upload bucket (TLS-only, private, notifying the logger) and, in prod, its access-log bucket."""

from __future__ import annotations

from troposphere import GetAtt, NoValue, Ref, Tags, Template, awslambda, s3

from generator.config import Profile
from generator.metadata import annotate
from generator.naming import upload_bucket_arn, upload_bucket_sub
from generator.outputs import add_output
from generator.policies import access_log_delivery_statements, document, tls_only_statements

# Tag that marks a bucket whose objects the cleanup function may delete (function/bucket_cleanup.py
# reads the same key): a bucket that outlives the custom resource loses it first.
AUTO_DELETE_TAG = "uploadtrail:auto-delete-objects"

NO_ACCESS_LOGS_IN_DEV = "dev is a throwaway stack; the prod profile writes server access logs to a log bucket."
NO_VERSIONING_IN_DEV = "dev is emptied on teardown; the prod profile versions every object."
INCOMPLETE_UPLOAD_DAYS = 7
LOG_BUCKET_NOT_LOGGED = (
    "This is the access-log destination; logging it would need yet another bucket, or log "
    "its own log deliveries in a loop."
)


def private_bucket_properties() -> dict:
    """SSE-S3 encryption, all four public-access blocks, ACLs disabled."""
    return {
        "BucketEncryption": s3.BucketEncryption(
            ServerSideEncryptionConfiguration=[
                s3.ServerSideEncryptionRule(
                    ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(SSEAlgorithm="AES256")
                )
            ]
        ),
        "PublicAccessBlockConfiguration": s3.PublicAccessBlockConfiguration(
            BlockPublicAcls=True,
            BlockPublicPolicy=True,
            IgnorePublicAcls=True,
            RestrictPublicBuckets=True,
        ),
        "OwnershipControls": s3.OwnershipControls(
            Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
        ),
    }


def lifecycle(profile: Profile, rule_id: str, expiration_days: int | None = None) -> s3.LifecycleConfiguration:
    """One lifecycle rule: older versions expire after the profile's days, current objects after
    expiration_days when given, unfinished multipart uploads after a week."""
    return s3.LifecycleConfiguration(
        Rules=[
            s3.LifecycleRule(
                Id=rule_id,
                Status="Enabled",
                ExpirationInDays=expiration_days if expiration_days else NoValue,
                NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(
                    NoncurrentDays=profile.noncurrent_version_days
                ),
                AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
                    DaysAfterInitiation=INCOMPLETE_UPLOAD_DAYS
                ),
            )
        ]
    )


def add_access_log_bucket(template: Template, profile: Profile) -> s3.BucketPolicy:
    """Private, versioned bucket that receives the upload bucket's server access logs, and its
    policy (S3 delivers logs only once the policy lets it)."""
    bucket = template.add_resource(
        s3.Bucket(
            "AccessLogBucket",
            VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
            LifecycleConfiguration=lifecycle(profile, "ExpireOldAccessLogs", profile.access_log_days),
            DeletionPolicy=profile.deletion_policy,
            UpdateReplacePolicy=profile.replace_policy,
            **private_bucket_properties(),
        )
    )
    annotate(
        bucket,
        "Receives the upload bucket's S3 server access logs (SSE-S3: the only encryption that log delivery supports).",
        skips={"CKV_AWS_18": LOG_BUCKET_NOT_LOGGED},
    )
    policy = template.add_resource(
        s3.BucketPolicy(
            "AccessLogBucketPolicy",
            Bucket=Ref(bucket),
            PolicyDocument=document(
                tls_only_statements(GetAtt(bucket, "Arn")) + access_log_delivery_statements(bucket)
            ),
        )
    )
    add_output(template, "AccessLogBucketName", Ref(bucket), "Bucket of S3 server access logs")
    return policy


def add_upload_bucket(
    template: Template,
    profile: Profile,
    logger: awslambda.Function,
    permission: awslambda.Permission,
    log_bucket_policy: s3.BucketPolicy | None,
) -> tuple[s3.Bucket, s3.BucketPolicy]:
    """The bucket users upload to; every created object invokes the logger.

    It depends on the permission (not the other way round), whose SourceArn is built from the
    bucket's deterministic name, so bucket, notification, permission and function form no cycle;
    and on the log bucket's policy, so that logging starts once S3 may deliver the logs.
    """
    bucket = template.add_resource(
        s3.Bucket(
            "UploadsBucket",
            BucketName=upload_bucket_sub(),
            NotificationConfiguration=s3.NotificationConfiguration(
                LambdaConfigurations=[
                    s3.LambdaConfigurations(Event="s3:ObjectCreated:*", Function=GetAtt(logger, "Arn"))
                ]
            ),
            VersioningConfiguration=(
                s3.VersioningConfiguration(Status="Enabled") if profile.versioned_bucket else NoValue
            ),
            LifecycleConfiguration=(lifecycle(profile, "ExpireOlderVersions") if profile.versioned_bucket else NoValue),
            LoggingConfiguration=(
                s3.LoggingConfiguration(DestinationBucketName=log_bucket_policy.Bucket, LogFilePrefix="uploads/")
                if log_bucket_policy
                else NoValue
            ),
            Tags=Tags({AUTO_DELETE_TAG: "true"}) if profile.auto_delete_objects else NoValue,
            DependsOn=[permission] + ([log_bucket_policy] if log_bucket_policy else []),
            DeletionPolicy=profile.deletion_policy,
            UpdateReplacePolicy=profile.replace_policy,
            **private_bucket_properties(),
        )
    )
    annotate(
        bucket,
        "Users upload here; every created object invokes the logger.",
        must=[
            "BucketName stays '<stack>-<account>-<region>': the permission and roles name it",
            "DependsOn the invoke permission, or S3 cannot validate the notification",
        ],
        skips={
            **({} if log_bucket_policy else {"CKV_AWS_18": NO_ACCESS_LOGS_IN_DEV}),
            **({} if profile.versioned_bucket else {"CKV_AWS_21": NO_VERSIONING_IN_DEV}),
        },
    )
    bucket_policy = template.add_resource(
        s3.BucketPolicy(
            "UploadsBucketPolicy",
            Bucket=Ref(bucket),
            PolicyDocument=document(tls_only_statements(upload_bucket_arn())),
        )
    )
    add_output(template, "BucketName", Ref(bucket), "Bucket whose uploads are logged")
    return bucket, bucket_policy
