"""The `uploadtrail` sub-commands: one module each, each with register(subcommands), which adds
its parser and sets its run(args, reporter) -> exit code; COMMANDS lists them in help order."""

from deployment.commands import deploy, destroy, localcloud

COMMANDS = (deploy, destroy, localcloud)
