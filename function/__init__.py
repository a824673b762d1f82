"""What runs in Lambda: the invocation logger (handler.py) and the bucket-cleanup custom resource
(bucket_cleanup.py). Standard library and the runtime's boto3 only; nothing from outside itself."""
