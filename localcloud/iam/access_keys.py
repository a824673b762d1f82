"""Which account an access key belongs to, as IAM answers it: the account of the IAM user that owns
the key, else the default account. moto builds every partition's IAM backend to look (each loading
every AWS-managed policy); a partition nobody used holds no keys, so only those built are searched."""

from __future__ import annotations

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import IAMBackend, iam_backends


def holds(backend: IAMBackend, access_key: str) -> bool:
    return access_key in backend.access_keys


def account_of(cloud, original, access_key: str) -> str:
    """The account whose IAM user owns access_key (moto's default account when none does)."""
    for account_id, account in list(iam_backends.items()):  # a copy: other threads add accounts
        if any(holds(backend, access_key) for backend in list(account.values())):  # the partitions built
            return account_id
    return DEFAULT_ACCOUNT_ID
