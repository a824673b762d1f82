"""AWS CloudFormation: stack operations and their events, custom resources, and the resource types
moto lacks."""
