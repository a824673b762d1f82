"""A code-only change through the deploy tool's change set on the local cloud lists the function
whose package changed and no other: after a logger-code-only update, a cleanup-only code change
lists BucketCleanupFunction alone (moto compares each parameter with the value the stack's last
update gave it)."""

from __future__ import annotations

import shutil

from deployment import cli as deploy
from deployment.commands import deploy as deploy_command
from deployment.function_package import FUNCTION_DIR, build_packages
from localcloud import LOCAL_CREDENTIALS
from tests.integration.inventory import change_rows


def changed(source, module: str) -> None:
    path = source / module
    path.write_text(path.read_text() + "\n# a code change\n")


def test_a_cleanup_only_change_after_a_logger_only_update_lists_the_cleanup_function(
    endpoint, monkeypatch, tmp_path, capsys
):
    for name, value in LOCAL_CREDENTIALS.items():
        monkeypatch.setenv(name.upper(), value)
    source = tmp_path / "function"
    shutil.copytree(FUNCTION_DIR, source)
    monkeypatch.setattr(deploy_command, "build_packages", lambda: build_packages(source))
    argv = ["--stack-name", "code-changes", "--endpoint", endpoint, "--yes"]
    try:
        assert deploy.main(argv) == 0
        changed(source, "handler.py")
        capsys.readouterr()
        assert deploy.main(argv) == 0
        rows = [row[:2] for row in change_rows(capsys.readouterr().out)]
        assert rows == [["Modify", "InvocationLoggerFunction"]]
        changed(source, "bucket_cleanup.py")
        assert deploy.main(argv) == 0
        rows = [row[:2] for row in change_rows(capsys.readouterr().out)]
        assert rows == [["Modify", "BucketCleanupFunction"]]
    finally:
        assert deploy.main([*argv, "--destroy"]) == 0
