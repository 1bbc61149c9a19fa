"""Signing keys: where they come from, which formats load, and ECDSA P-256 sign and verify.

`--sign-key` names a PEM private key as a file path, `env:VAR` (the PEM text in a variable) or
`keyring:NAME` (the PEM text stored in the system keyring by `keyring set imgbuild-sign NAME`).
Plain PEM loads, PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`), and so does
cosign's own encrypted format (`cosign generate-key-pair`), with the passphrase from
`COSIGN_PASSWORD` (`builder.supply.cosign_key`); the key must be on the P-256 curve, as cosign's
keys are. No message here ever holds key material or the passphrase.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from builder.errors import UsageError

_HINT = (
    "give an unencrypted ECDSA P-256 key in PEM (PKCS#8 or SEC1) or a cosign key, e.g. "
    "`openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt`"
)


@dataclass(frozen=True)
class SigningKey:
    private: ec.EllipticCurvePrivateKey = field(repr=False)
    origin: str  # "file /path", "environment variable X", "keyring entry NAME": never the key

    def sign(self, data: bytes) -> str:
        """The base64 ASN.1 DER ECDSA signature of SHA-256(data), as cosign writes it."""
        signature = self.private.sign(data, ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(signature).decode("ascii")

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def load_signing_key(
    spec: str, *, root: Path | None = None, environ: Mapping[str, str] | None = None
) -> SigningKey:
    """The key `spec` names (`PATH`, `env:VAR`, `keyring:NAME`); relative paths are to `root`."""
    environ = os.environ if environ is None else environ
    if spec.startswith("env:"):
        name = spec[4:]
        if not environ.get(name):
            raise UsageError(f"--sign-key {spec}: the environment variable {name} is not set")
        return _parse(environ[name].encode(), f"environment variable {name}", environ)
    if spec.startswith("keyring:"):
        from builder.credentials import KeyringUnavailable, keyring_signing_key

        name = spec[8:]
        try:
            text = keyring_signing_key(name)
        except KeyringUnavailable as error:
            raise UsageError(f"--sign-key {spec}: {error}") from None
        if text is None:
            raise UsageError(
                f"--sign-key {spec}: the keyring has no entry {name!r}",
                hint=f"store the PEM with `keyring set imgbuild-sign {name}`",
            )
        return _parse(text.encode(), f"keyring entry {name}", environ)
    path = Path(spec).expanduser()
    if root is not None and not path.is_absolute():
        path = root / path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"--sign-key: cannot read {path}: {error.strerror}") from None
    return _parse(data, f"file {path}", environ)


def _parse(data: bytes, origin: str, environ: Mapping[str, str]) -> SigningKey:
    from builder.supply.cosign_key import decrypt_cosign_key, is_cosign_encrypted

    try:
        if is_cosign_encrypted(data):
            der = decrypt_cosign_key(data, origin, environ)
            key = serialization.load_der_private_key(der, password=None)
        else:
            key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise UsageError(f"the signing key from {origin} is encrypted", hint=_HINT) from None
    except (ValueError, UnsupportedAlgorithm):
        raise UsageError(
            f"the signing key from {origin} is not a PEM private key", hint=_HINT
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise UsageError(f"the signing key from {origin} is not an ECDSA P-256 key", hint=_HINT)
    return SigningKey(key, origin)


def load_public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """A PEM public key (`cosign.pub`, or `openssl ec -pubout`) on the P-256 curve."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as error:
        raise UsageError(f"--key: cannot read {path}: {error.strerror}") from None
    except (ValueError, UnsupportedAlgorithm):
        raise UsageError(f"--key: {path} is not a PEM public key") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise UsageError(f"--key: {path} is not an ECDSA P-256 public key")
    return key


def signature_valid(key: ec.EllipticCurvePublicKey, data: bytes, b64signature: str) -> bool:
    try:
        key.verify(base64.b64decode(b64signature, validate=True), data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True
