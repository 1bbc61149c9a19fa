"""cosign's encrypted private keys (`cosign generate-key-pair`), decrypted with a passphrase.

The PEM block (`ENCRYPTED SIGSTORE PRIVATE KEY`, or `ENCRYPTED COSIGN PRIVATE KEY` from older
cosign) holds JSON in go-securesystemslib's `encrypted` format:

    {"kdf": {"name": "scrypt", "params": {"N": 65536, "r": 8, "p": 1}, "salt": B64},
     "cipher": {"name": "nacl/secretbox", "nonce": B64}, "ciphertext": B64}

The key is scrypt(passphrase, salt, N, r, p) of 32 bytes; the ciphertext is NaCl secretbox's
(Poly1305 tag, then XSalsa20 stream) of the PKCS#8 DER private key. Like cosign, only the three
parameter sets it writes are accepted (legacy 2^15, standard 2^16, OWASP 2^17), so a crafted
file cannot make scrypt take unbounded memory. The passphrase is read from `COSIGN_PASSWORD`,
the variable cosign reads; no message here holds it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from builder.errors import UsageError

PASSWORD_VARIABLE = "COSIGN_PASSWORD"
PEM_TYPES = ("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY")
_PEM_RE = re.compile(
    rb"-----BEGIN (?P<type>ENCRYPTED (?:SIGSTORE|COSIGN) PRIVATE KEY)-----"
    rb"(?P<body>[A-Za-z0-9+/=\s]*)-----END (?P=type)-----"
)
_SCRYPT_PARAMS = (
    {"N": 32768, "r": 8, "p": 1},
    {"N": 65536, "r": 8, "p": 1},
    {"N": 131072, "r": 8, "p": 1},
)
_KEY_SIZE = 32
_NONCE_SIZE = 24


def is_cosign_encrypted(data: bytes) -> bool:
    return any(f"-----BEGIN {kind}-----".encode() in data for kind in PEM_TYPES)


def decrypt_cosign_key(data: bytes, origin: str, environ: Mapping[str, str]) -> bytes:
    """The PKCS#8 DER private key of cosign's encrypted PEM `data`, from `origin`."""
    passphrase = environ.get(PASSWORD_VARIABLE)
    if passphrase is None:
        raise UsageError(
            f"the signing key from {origin} is encrypted (cosign's format) and "
            f"{PASSWORD_VARIABLE} is not set",
            hint=f"set {PASSWORD_VARIABLE} to its passphrase, as cosign reads it",
        )
    document = _document(data, origin)
    try:
        kdf, cipher = document["kdf"], document["cipher"]
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        ciphertext = base64.b64decode(document["ciphertext"], validate=True)
        names, params = (kdf["name"], cipher["name"]), dict(kdf["params"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise UsageError(f"the signing key from {origin} is not a valid cosign key") from None
    if names != ("scrypt", "nacl/secretbox") or params not in _SCRYPT_PARAMS:
        raise UsageError(
            f"the signing key from {origin} uses an encryption cosign does not write "
            f"({names[0]} {params}, {names[1]})"
        )
    if len(nonce) != _NONCE_SIZE:
        raise UsageError(f"the signing key from {origin} is not a valid cosign key")
    key = hashlib.scrypt(
        passphrase.encode(),
        salt=salt,
        n=params["N"],
        r=params["r"],
        p=params["p"],
        maxmem=256 * params["N"] * params["r"],  # 128*N*r bytes needed, with room to spare
        dklen=_KEY_SIZE,
    )
    return _open_box(ciphertext, nonce, key, origin)


def _document(data: bytes, origin: str) -> dict[str, Any]:
    match = _PEM_RE.search(data)
    try:
        if match is None:
            raise ValueError
        document = json.loads(base64.b64decode(b"".join(match.group("body").split())))
    except (ValueError, binascii.Error):
        raise UsageError(f"the signing key from {origin} is not a valid cosign key") from None
    if not isinstance(document, dict):
        raise UsageError(f"the signing key from {origin} is not a valid cosign key")
    return document


def _open_box(ciphertext: bytes, nonce: bytes, key: bytes, origin: str) -> bytes:
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    try:
        return SecretBox(key).decrypt(ciphertext, nonce)
    except CryptoError:
        raise UsageError(
            f"the signing key from {origin} does not decrypt with {PASSWORD_VARIABLE}: "
            "a wrong passphrase?"
        ) from None
