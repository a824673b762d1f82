"""AWS KMS signs, verifies and answers the public key with a key's private half; moto makes that
half at CreateKey, an RSA-2048 one even for a symmetric key that never reads it (about 95 ms).
The local cloud makes it on the first Sign, Verify or GetPublicKey, once per key (a replica copies
moto's key object, so it shares the one private half, as moto's does)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from moto.kms.utils import AbstractPrivateKey


class OnFirstUse(AbstractPrivateKey):
    """moto's private key of a key spec, made by generate on the first sign, verify or public_key."""

    def __init__(self, generate: Callable[[str], AbstractPrivateKey], key_spec: str):
        self.generate = generate
        self.key_spec = key_spec
        self.made: AbstractPrivateKey | None = None
        self.lock = threading.Lock()

    def key(self) -> AbstractPrivateKey:
        with self.lock:  # two first uses at once make one key
            if self.made is None:
                self.made = self.generate(self.key_spec)
            return self.made

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        return self.key().sign(message, signing_algorithm)

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        return self.key().verify(message, signature, signing_algorithm)

    def public_key(self) -> bytes:
        return self.key().public_key()


def on_first_use(cloud, original, key_spec: str) -> OnFirstUse:
    """moto's generate_private_key, deferred to the key's first use."""
    return OnFirstUse(original, key_spec)
