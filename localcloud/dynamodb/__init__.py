"""Amazon DynamoDB: the table properties moto's CloudFormation ignores."""
