"""`uploadtrail history KEY --output json` on the deployed stack: three uploads of one key listed
oldest first, through the index."""

from __future__ import annotations

import json
import uuid

from deployment.commands import main as uploadtrail
from tests.integration.test_nothing_lost import wait_for


def test_history_lists_three_uploads_of_one_key_oldest_first(clients, deployed, target_args, capsys):
    key = f"history-{uuid.uuid4().hex[:8]}/report.txt"
    for n in range(3):
        clients.s3.put_object(Bucket=deployed["BucketName"], Key=key, Body=f"version {n}".encode())

    def listed() -> list[dict]:
        capsys.readouterr()
        assert uploadtrail.main(["history", key, "--output", "json", *target_args]) == 0
        return json.loads(capsys.readouterr().out)

    items = wait_for(listed, 3)
    assert len(items) == 3 and {item["objectKey"] for item in items} == {key}
    assert [item["timestamp"] for item in items] == sorted(item["timestamp"] for item in items)
    assert all(isinstance(item["objectSize"], int) for item in items)
