"""The `uploadtrail` sub-commands: one module each, each with register(subcommands), which adds
its parser(s) and sets run(args, reporter) -> exit code (localcloud, which hands its own options
to the server, sets passes_on and run(args, rest) instead); COMMANDS lists them in help order."""

from deployment.commands import deploy, destroy, history, localcloud, logs, redrive, status

COMMANDS = (deploy, destroy, status, logs, history, redrive, localcloud)
