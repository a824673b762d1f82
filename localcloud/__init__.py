"""The Docker-free local AWS: moto's server with the patches that let the real template and the
real function run end to end (server.py serves it; patches.py declares every patch; one folder per
service holds what each reproduces)."""

# The credentials for the local cloud and LocalStack, which accept any key: the ones their
# documentation uses.
LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
