"""Amazon S3: event notifications and their delivery to Lambda, bucket policies with their
conditions, and the bucket properties moto's CloudFormation ignores."""
