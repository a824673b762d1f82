"""CloudWatch on the local cloud: what moto's CloudWatch backend lacks for the stack's alarms."""
