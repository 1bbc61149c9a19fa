"""cosign's encrypted private keys: made here the way go-securesystemslib's `encrypted`
package writes them (scrypt, then NaCl secretbox of the PKCS#8 DER), independently of
builder/supply/cosign_key.py."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from nacl.secret import SecretBox

from builder.errors import UsageError
from builder.supply.keys import load_signing_key, signature_valid

PASSPHRASE = "correct horse battery staple"


def cosign_pem(
    key: ec.EllipticCurvePrivateKey,
    passphrase: str,
    kind: str = "ENCRYPTED SIGSTORE PRIVATE KEY",
    n: int = 65536,
) -> str:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt, nonce = os.urandom(32), os.urandom(24)
    box_key = hashlib.scrypt(passphrase.encode(), salt=salt, n=n, r=8, p=1, maxmem=2**28, dklen=32)
    sealed = SecretBox(box_key).encrypt(der, nonce).ciphertext  # tag then stream, no nonce

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    document = {
        "kdf": {"name": "scrypt", "params": {"N": n, "r": 8, "p": 1}, "salt": b64(salt)},
        "cipher": {"name": "nacl/secretbox", "nonce": b64(nonce)},
        "ciphertext": b64(sealed),
    }
    body = base64.encodebytes(json.dumps(document).encode()).decode()
    return f"-----BEGIN {kind}-----\n{body}-----END {kind}-----\n"


@pytest.fixture
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize(
    ("kind", "n"),
    [("ENCRYPTED SIGSTORE PRIVATE KEY", 65536), ("ENCRYPTED COSIGN PRIVATE KEY", 32768)],
)
def test_a_cosign_key_loads_with_cosign_password_and_signs_verifiably(
    key: ec.EllipticCurvePrivateKey, tmp_path: Path, kind: str, n: int
) -> None:
    (tmp_path / "cosign.key").write_text(cosign_pem(key, PASSPHRASE, kind, n))
    loaded = load_signing_key("cosign.key", root=tmp_path, environ={"COSIGN_PASSWORD": PASSPHRASE})
    assert signature_valid(key.public_key(), b"payload", loaded.sign(b"payload"))
    assert PASSPHRASE not in repr(loaded)


def test_a_wrong_or_missing_passphrase_is_one_clear_error(
    key: ec.EllipticCurvePrivateKey,
) -> None:
    text = cosign_pem(key, PASSPHRASE)
    with pytest.raises(UsageError, match="does not decrypt with COSIGN_PASSWORD") as caught:
        load_signing_key("env:K", environ={"K": text, "COSIGN_PASSWORD": "wrong passphrase"})
    shown = str(caught.value) + str(caught.value.hint)
    assert "wrong passphrase" not in shown.replace("a wrong passphrase?", "")
    with pytest.raises(UsageError, match="COSIGN_PASSWORD is not set"):
        load_signing_key("env:K", environ={"K": text})


def test_unknown_scrypt_parameters_are_refused_before_deriving(
    key: ec.EllipticCurvePrivateKey,
) -> None:
    text = cosign_pem(key, PASSPHRASE, n=1024)
    with pytest.raises(UsageError, match="an encryption cosign does not write"):
        load_signing_key("env:K", environ={"K": text, "COSIGN_PASSWORD": PASSPHRASE})
