"""localcloud/kms/private_keys.py: a key's private half, made at its first use, signs, verifies and
answers its public key as moto's made at CreateKey does (a replica shares it); a symmetric key
encrypts and decrypts; the half is made once, and not before it is needed."""

from __future__ import annotations

import threading

import boto3
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import load_der_public_key
from moto.kms.utils import generate_private_key

from localcloud import LOCAL_CREDENTIALS
from localcloud.kms.private_keys import OnFirstUse
from tests.localcloud.conftest import REGION

MESSAGE = b"uploadtrail"
RSA_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256"
OTHER_REGION = "us-west-2" if REGION != "us-west-2" else "us-east-1"


def answered(kms_client, key_spec: str) -> dict:
    """What KMS answers for a new signing key of key_spec: its signature of MESSAGE, the verdicts
    on it and on a changed message, its GetPublicKey's other fields, and the public key."""
    key_id = kms_client.create_key(KeyUsage="SIGN_VERIFY", KeySpec=key_spec)["KeyMetadata"]["KeyId"]
    algorithm = kms_client.describe_key(KeyId=key_id)["KeyMetadata"]["SigningAlgorithms"][0]
    signature = kms_client.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)["Signature"]
    public = kms_client.get_public_key(KeyId=key_id)
    return {
        "signature": signature,
        "algorithm": algorithm,
        "valid": kms_client.verify(KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm=algorithm)[
            "SignatureValid"
        ],
        "changed": kms_client.verify(
            KeyId=key_id, Message=MESSAGE + b"!", Signature=signature, SigningAlgorithm=algorithm
        )["SignatureValid"],
        "public": {
            name: value for name, value in public.items() if name not in ("KeyId", "PublicKey", "ResponseMetadata")
        },
        "public_key": public["PublicKey"],
    }


def verified_with_public_key(answer: dict) -> None:
    """The signature checks out against the public key KMS answered (raises if not)."""
    public_key = load_der_public_key(answer["public_key"])
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(answer["signature"], MESSAGE, ec.ECDSA(hashes.SHA256()))
    else:
        public_key.verify(answer["signature"], MESSAGE, padding.PKCS1v15(), hashes.SHA256())


@pytest.mark.parametrize("key_spec", ["RSA_2048", "ECC_NIST_P256"])
def test_a_signing_key_signs_verifies_and_answers_its_public_key_as_motos_does(aws, plain_moto, key_spec):
    local, moto = answered(aws("kms"), key_spec), answered(plain_moto("kms"), key_spec)
    assert {name: local[name] for name in ("algorithm", "valid", "changed", "public")} == {
        name: moto[name] for name in ("algorithm", "valid", "changed", "public")
    }
    assert (local["valid"], local["changed"]) == (True, False)
    verified_with_public_key(local)


def test_a_replica_verifies_the_primarys_signature_and_answers_the_same_public_key(aws):
    primary = aws("kms")
    key_id = primary.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048", MultiRegion=True)["KeyMetadata"]["KeyId"]
    session = boto3.session.Session(region_name=OTHER_REGION, **LOCAL_CREDENTIALS)
    replica = session.client("kms", endpoint_url=primary.meta.endpoint_url)
    primary.replicate_key(KeyId=key_id, ReplicaRegion=OTHER_REGION)
    signature = primary.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=RSA_ALGORITHM)["Signature"]
    verdict = replica.verify(KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm=RSA_ALGORITHM)
    assert verdict["SignatureValid"] is True
    assert replica.get_public_key(KeyId=key_id)["PublicKey"] == primary.get_public_key(KeyId=key_id)["PublicKey"]


def test_a_symmetric_key_encrypts_and_decrypts(aws, plain_moto):
    for kms_client in (aws("kms"), plain_moto("kms")):
        key = kms_client.create_key()["KeyMetadata"]
        blob = kms_client.encrypt(KeyId=key["KeyId"], Plaintext=MESSAGE)["CiphertextBlob"]
        decrypted = kms_client.decrypt(CiphertextBlob=blob)
        assert (key["KeySpec"], decrypted["Plaintext"], decrypted["KeyId"]) == (
            "SYMMETRIC_DEFAULT",
            MESSAGE,
            key["Arn"],
        )


def test_the_private_half_is_made_once_at_its_first_use_by_any_thread():
    specs = []

    def generate(key_spec):
        specs.append(key_spec)
        return generate_private_key(key_spec)

    key = OnFirstUse(generate, "ECC_NIST_P256")
    assert specs == []
    signatures = []
    threads = [threading.Thread(target=lambda: signatures.append(key.sign(MESSAGE, "ECDSA_SHA_256"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert specs == ["ECC_NIST_P256"]
    assert all(key.verify(MESSAGE, signature, "ECDSA_SHA_256") for signature in signatures)
    assert key.public_key() == key.key().public_key()
