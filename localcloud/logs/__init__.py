"""CloudWatch Logs on the local cloud: the filter patterns moto's logs backend does not evaluate."""
