"""Contract of localcloud/kms/private_keys.py: plain moto reads a key's private half only to sign,
verify and answer the public key, makes one for every key spec without refusing any (so making it
later moves no error), and a replica shares its primary's (moto copies the key object)."""

from __future__ import annotations

import inspect
import re

import boto3
import moto.kms.models
import moto.kms.responses
import pytest
from moto.kms.utils import KeySpec, generate_private_key

from tests.localcloud.kms.test_private_keys import MESSAGE, RSA_ALGORITHM


def test_plain_moto_reads_the_private_half_only_to_sign_verify_and_answer_the_public_key():
    source = inspect.getsource(moto.kms.models) + inspect.getsource(moto.kms.responses)
    assert set(re.findall(r"private_key\.(\w+)", source)) == {"sign", "verify", "public_key"}
    assert re.findall(r"=\s*\w+\.private_key\b(?!\.)", source) == []  # nobody keeps it aside


@pytest.mark.parametrize("key_spec", [spec.value for spec in KeySpec])
def test_plain_moto_makes_a_private_half_for_every_key_spec(key_spec):
    assert generate_private_key(key_spec).public_key()


def test_plain_moto_replica_verifies_its_primarys_signature(plain_moto):
    primary = plain_moto("kms")
    key_id = primary.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048", MultiRegion=True)["KeyMetadata"]["KeyId"]
    primary.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2")
    replica = boto3.client("kms", region_name="us-west-2")
    signature = primary.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=RSA_ALGORITHM)["Signature"]
    verdict = replica.verify(KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm=RSA_ALGORITHM)
    assert verdict["SignatureValid"] is True
