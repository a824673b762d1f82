"""SQS as the local cloud adds to moto's: the metrics SQS publishes to CloudWatch."""
