"""Write answers as DynamoDB gives them: ConsumedCapacity only when ReturnConsumedCapacity asks for
it (TOTAL or INDEXES) and ItemCollectionMetrics only when ReturnItemCollectionMetrics is SIZE."""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb.responses import DynamoHandler

from localcloud.cloud import LocalCloud

CAPACITY_ASKED = ("TOTAL", "INDEXES")


def without_unasked_metrics(cloud: LocalCloud, original: Any, handler: DynamoHandler) -> ActionResult:
    answer = original(handler)
    body = answer.result
    if handler.body.get("ReturnConsumedCapacity") not in CAPACITY_ASKED:
        body.pop("ConsumedCapacity", None)
    if handler.body.get("ReturnItemCollectionMetrics") != "SIZE":
        body.pop("ItemCollectionMetrics", None)
    return answer
