"""DescribeTable as DynamoDB answers it: a TableId, an SSEDescription when the table (also from a
template's SSESpecification.SSEEnabled) is encrypted with KMS, and no index lists when it has none."""

from __future__ import annotations

import uuid
import weakref
from typing import Any

from moto.dynamodb.models.table import Table

from localcloud.cloud import LocalCloud

# A table's TableId, minted on its first description: a table re-created under the same name gets
# a new one, as in DynamoDB.
TABLE_IDS: weakref.WeakKeyDictionary[Table, str] = weakref.WeakKeyDictionary()
INDEX_LISTS = ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")


def describe(cloud: LocalCloud, original: Any, table: Table, base_key: str = "TableDescription") -> dict[str, Any]:
    answer = original(table, base_key)
    description = answer[base_key]
    description["TableId"] = TABLE_IDS.setdefault(table, str(uuid.uuid4()))
    for index_list in INDEX_LISTS:
        if not description.get(index_list):
            description.pop(index_list, None)
    encryption = table.sse_specification or {}
    if encryption.get("SSEEnabled") is True:
        description["SSEDescription"] = {
            "KMSMasterKeyArn": encryption["KMSMasterKeyId"],
            "SSEType": "KMS",
            "Status": "ENABLED",
        }
    return answer
