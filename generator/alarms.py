"""The alarms that tell a person when uploads stop being logged, and the topic that notifies them."""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Equals, GetAtt, Not, NoValue, Parameter, Ref, Template, cloudwatch, kms, sns

from generator.function import InvocationLogger
from generator.metadata import annotate
from generator.naming import alarm_name
from generator.outputs import add_output
from generator.policies import alarm_publish_statements, document

ALARM_EMAIL = "AlarmEmail"
HAS_ALARM_EMAIL = "HasAlarmEmail"
UNENCRYPTED_TOPIC = (
    "dev has no customer-managed key, and alias/aws/sns would make every alarm action fail (its "
    "key policy cannot let CloudWatch in); notifications carry alarm states, no upload data."
)
# Every alarm counts events in one-minute periods and goes off on the first minute that has one:
# each counted event is an upload that is (or may end) unlogged, so waiting for a second minute
# only delays the person who has to act. A period with no data means nothing happened (Lambda,
# SQS and DynamoDB publish these metrics only while there is activity), hence notBreaching.
PERIOD_SECONDS = 60
EVALUATION_PERIODS = 1
MISSING_DATA = "notBreaching"


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: what it watches and what the person notified should do."""

    name: str
    namespace: str
    metric: str
    statistic: str
    dimensions: dict
    description: str


def alarm_specs(logger: InvocationLogger, table) -> list[AlarmSpec]:
    """The stack's alarms. Lambda's and DynamoDB's are counts, read with Sum; the queue's depth is
    a gauge, read with Maximum so one message is enough. DynamoDB reports SystemErrors per
    TableName and Operation (no series per table alone), so the alarm names the one operation the
    function uses, PutItem."""
    function = {"FunctionName": Ref(logger.function)}
    return [
        AlarmSpec(
            "LoggerErrors",
            "AWS/Lambda",
            "Errors",
            "Sum",
            function,
            "The upload logger failed on an event (Lambda retries twice, then dead-letters it). "
            "Read the errors in the LogGroupName output's log group and fix the cause.",
        ),
        AlarmSpec(
            "LoggerThrottles",
            "AWS/Lambda",
            "Throttles",
            "Sum",
            function,
            "The upload logger was throttled (no concurrency left); Lambda retries for up to 6 "
            "hours. Raise the ReservedConcurrency parameter or the account's concurrency limit.",
        ),
        AlarmSpec(
            "LoggerDeadLetterErrors",
            "AWS/Lambda",
            "DeadLetterErrors",
            "Sum",
            function,
            "A failed upload event could not reach the dead-letter queue and is lost. Check the "
            "role may send to the DeadLetterQueueUrl queue, then re-upload the objects.",
        ),
        AlarmSpec(
            "LoggerAsyncEventsDropped",
            "AWS/Lambda",
            "AsyncEventsDropped",
            "Sum",
            function,
            "Lambda gave up on upload events. If DeadLetters is in ALARM they wait in the queue: "
            "replay them; if not, they are lost: re-upload the objects missing from the table.",
        ),
        AlarmSpec(
            "DeadLetters",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "Maximum",
            {"QueueName": GetAtt(logger.dead_letter_queue, "QueueName")},
            "Upload events that failed after Lambda's retries wait in the dead-letter queue (kept "
            "14 days). Fix the cause LoggerErrors points to, then replay them.",
        ),
        AlarmSpec(
            "TableWriteThrottles",
            "AWS/DynamoDB",
            "WriteThrottleEvents",
            "Sum",
            {"TableName": Ref(table)},
            "DynamoDB throttled writes to the invocation table; the logger's retries usually "
            "succeed. If LoggerErrors follows, check the account's on-demand throughput limits "
            "for the table.",
        ),
        AlarmSpec(
            "TablePutItemSystemErrors",
            "AWS/DynamoDB",
            "SystemErrors",
            "Sum",
            {"TableName": Ref(table), "Operation": "PutItem"},
            "DynamoDB answered the logger's PutItem with HTTP 500. Check the AWS Health Dashboard "
            "for DynamoDB here; replay the dead letters once it recovers.",
        ),
    ]


def add_alarm_topic(template: Template, key: kms.Key | None) -> sns.Topic:
    """The topic every alarm notifies, its policy (CloudWatch may publish for this stack's alarms
    only), and the optional e-mail subscription (parameter AlarmEmail, empty: none)."""
    topic = template.add_resource(
        sns.Topic(
            "AlarmTopic",
            DisplayName="uploadtrail alarms",
            KmsMasterKeyId=GetAtt(key, "Arn") if key else NoValue,
        )
    )
    annotate(
        topic,
        "Every alarm of the stack notifies this topic, in ALARM and back in OK.",
        must=["never alias/aws/sns: CloudWatch cannot use that key, and alarm actions would fail"],
        skips={} if key else {"CKV_AWS_26": UNENCRYPTED_TOPIC},
    )
    template.add_resource(
        sns.TopicPolicy(
            "AlarmTopicPolicy",
            Topics=[Ref(topic)],
            PolicyDocument=document(alarm_publish_statements(topic)),
        )
    )
    email = template.add_parameter(
        Parameter(
            ALARM_EMAIL,
            Type="String",
            Default="",
            AllowedPattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$",
            Description="E-mail address the alarms notify (SNS asks it to confirm); empty: no subscription",
            ConstraintDescription="an e-mail address, or empty",
        )
    )
    template.add_condition(HAS_ALARM_EMAIL, Not(Equals(Ref(email), "")))
    subscription = template.add_resource(
        sns.SubscriptionResource(
            "AlarmEmailSubscription",
            Condition=HAS_ALARM_EMAIL,
            Protocol="email",
            Endpoint=Ref(email),
            TopicArn=Ref(topic),
        )
    )
    annotate(subscription, "Mails the alarm notifications to the AlarmEmail address once it confirms.")
    add_output(template, "AlarmTopicArn", Ref(topic), "Topic the alarms notify; subscribe to it to be told")
    add_output(
        template,
        "AlarmNamePrefix",
        alarm_name(""),
        "Prefix of the stack's alarm names (aws cloudwatch describe-alarms --alarm-name-prefix)",
    )
    return topic


def add_alarms(template: Template, key: kms.Key | None, logger: InvocationLogger, table) -> None:
    """The alarm topic and one alarm per AlarmSpec, each notifying the topic."""
    topic = add_alarm_topic(template, key)
    actions = [Ref(topic)]
    for spec in alarm_specs(logger, table):
        alarm = template.add_resource(
            cloudwatch.Alarm(
                f"{spec.name}Alarm",
                AlarmName=alarm_name(spec.name),
                AlarmDescription=spec.description,
                Namespace=spec.namespace,
                MetricName=spec.metric,
                Dimensions=[cloudwatch.MetricDimension(Name=n, Value=v) for n, v in spec.dimensions.items()],
                Statistic=spec.statistic,
                Period=PERIOD_SECONDS,
                EvaluationPeriods=EVALUATION_PERIODS,
                DatapointsToAlarm=EVALUATION_PERIODS,
                Threshold=0,
                ComparisonOperator="GreaterThanThreshold",
                TreatMissingData=MISSING_DATA,
                AlarmActions=actions,
                OKActions=actions,
            )
        )
        annotate(
            alarm,
            f"Notifies the alarm topic when {spec.namespace} {spec.metric} ({spec.statistic}) is above 0 "
            "in a minute; its description says what to do.",
        )
