"""uploadtrail's template generator: builds the CloudFormation stack with troposphere and awacs."""

__version__ = "0.1.0"
