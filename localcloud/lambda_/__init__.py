"""AWS Lambda: running functions in local workers, asynchronous invocation with retries and a
dead-letter queue, execution-role credentials, its CloudWatch metrics, and the configuration moto
drops."""
