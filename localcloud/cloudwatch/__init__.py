"""CloudWatch on the local cloud: the stack's alarms as resources, the metrics services publish,
and metric alarms evaluated on a schedule, notifying their SNS actions."""
