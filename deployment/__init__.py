"""The deploy tool: packages the function, uploads it, and creates, updates or deletes the
uploadtrail stack through CloudFormation change sets (cli.py is the command line)."""
