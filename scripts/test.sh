#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs into .venv (and checkov into .venv-checkov,
# whose pins clash with moto's), checks lint and format with ruff, runs pytest with coverage,
# holds the critical paths at 100%, and checks that templates/ is what the generator renders.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
python3 -m venv .venv-checkov
.venv-checkov/bin/python -m pip install --quiet --upgrade pip
.venv-checkov/bin/python -m pip install --quiet -e '.[checkov]'
export UPLOADTRAIL_CHECKOV="$PWD/.venv-checkov/bin/checkov"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
# The critical paths are held at 100% of lines and branches (the rest at 90%, in setup.cfg).
.venv/bin/python -m coverage report --fail-under=100 --show-missing \
  --include='function/handler.py,function/bucket_cleanup.py,deployment/function_package.py,deployment/artifacts.py,deployment/deployer.py,deployment/cli.py,deployment/workflow.py,deployment/preflight.py,deployment/approval.py,deployment/security_diff.py,deployment/template_source.py,deployment/messages.py,deployment/errors.py,deployment/phases.py,deployment/reporter.py,deployment/progress.py,deployment/aws_clients.py,deployment/target_kind.py,deployment/bucket_emptying.py,deployment/localstack_gaps.py,deployment/local_start.py,deployment/log_location.py,deployment/resource_presence.py,deployment/commands/*.py'
.venv/bin/python -m generator --check
