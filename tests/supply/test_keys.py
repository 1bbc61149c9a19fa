"""Loading signing keys from a file, the environment and the keyring's text; what is refused."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from builder.errors import UsageError
from builder.supply.keys import load_public_key, load_signing_key, signature_valid


def pem(key: ec.EllipticCurvePrivateKey, form: serialization.PrivateFormat) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, form, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize(
    "form", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL]
)
def test_pkcs8_and_sec1_files_load_and_sign_verifiably(
    tmp_path: Path, key: ec.EllipticCurvePrivateKey, form: serialization.PrivateFormat
) -> None:
    (tmp_path / "cosign.key").write_text(pem(key, form))
    loaded = load_signing_key("cosign.key", root=tmp_path)
    signature = loaded.sign(b"payload")
    key.public_key().verify(base64.b64decode(signature), b"payload", ec.ECDSA(hashes.SHA256()))
    assert "BEGIN" not in repr(loaded) and str(tmp_path) in loaded.origin


def test_env_form_reads_the_variable(key: ec.EllipticCurvePrivateKey) -> None:
    text = pem(key, serialization.PrivateFormat.PKCS8)
    loaded = load_signing_key("env:SIGN", environ={"SIGN": text})
    assert loaded.origin == "environment variable SIGN"
    assert loaded.public_pem() == key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_missing_variable_is_named() -> None:
    with pytest.raises(UsageError, match="SIGN is not set"):
        load_signing_key("env:SIGN", environ={})


def test_other_curves_are_refused_without_showing_the_key() -> None:
    other = ec.generate_private_key(ec.SECP384R1())
    text = pem(other, serialization.PrivateFormat.PKCS8)
    with pytest.raises(UsageError, match="not an ECDSA P-256 key") as caught:
        load_signing_key("env:K", environ={"K": text})
    assert text.splitlines()[1] not in str(caught.value) + str(caught.value.hint)


def test_openssl_encrypted_and_broken_cosign_keys_are_refused(
    key: ec.EllipticCurvePrivateKey,
) -> None:
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pass"),
    ).decode()
    with pytest.raises(UsageError, match="is encrypted"):
        load_signing_key("env:K", environ={"K": encrypted})
    cosign = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    with pytest.raises(UsageError, match="COSIGN_PASSWORD is not set"):
        load_signing_key("env:K", environ={"K": cosign})
    with pytest.raises(UsageError, match="is not a valid cosign key"):
        load_signing_key("env:K", environ={"K": cosign, "COSIGN_PASSWORD": "x"})


def test_garbage_and_missing_files_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a PEM private key"):
        load_signing_key("env:K", environ={"K": "hello"})
    with pytest.raises(UsageError, match="cannot read"):
        load_signing_key(str(tmp_path / "none.key"))


def test_public_key_checks_signatures(tmp_path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    loaded = load_signing_key("env:K", environ={"K": pem(key, serialization.PrivateFormat.PKCS8)})
    (tmp_path / "cosign.pub").write_bytes(loaded.public_pem())
    public = load_public_key(tmp_path / "cosign.pub")
    assert signature_valid(public, b"data", loaded.sign(b"data"))
    assert not signature_valid(public, b"other", loaded.sign(b"data"))
    assert not signature_valid(public, b"data", "not base64!")


def test_keyring_form_reads_the_entry(
    real_keyring: object, key: ec.EllipticCurvePrivateKey
) -> None:
    import keyring

    keyring.set_password("imgbuild-sign", "release", pem(key, serialization.PrivateFormat.PKCS8))
    loaded = load_signing_key("keyring:release")
    assert loaded.origin == "keyring entry release"
    with pytest.raises(UsageError, match="no entry 'missing'"):
        load_signing_key("keyring:missing")
