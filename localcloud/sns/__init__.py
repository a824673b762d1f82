"""SNS on the local cloud: what moto's SNS backend lacks for the stack's alarm topic."""
