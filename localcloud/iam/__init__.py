"""AWS IAM: policy evaluation, who signed a request, identity policies on role credentials, and
the role policies CloudFormation puts."""
