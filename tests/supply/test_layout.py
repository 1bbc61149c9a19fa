"""The bytes of cosign's layout: payload, tag names, manifests, DSSE envelopes."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from builder.supply.keys import SigningKey
from builder.supply.layout import (
    attachment_manifest,
    attachment_tag,
    attestation_layer,
    dsse_envelope,
    pae,
    signature_layer,
    simple_signing_payload,
)

DIGEST = "sha256:" + "ab" * 32


def test_payload_is_cosigns_simple_signing_document() -> None:
    payload = simple_signing_payload("127.0.0.1:5000/team/api", DIGEST)
    assert payload == (
        b'{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/team/api"},'
        b'"image":{"docker-manifest-digest":"' + DIGEST.encode() + b'"},'
        b'"type":"cosign container image signature"},"optional":null}'
    )


def test_tag_names_follow_the_tag_schema() -> None:
    assert attachment_tag(DIGEST, "sig") == "sha256-" + "ab" * 32 + ".sig"


def test_signature_layer_carries_a_verifiable_annotation() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    layer = signature_layer("r/x", DIGEST, SigningKey(private, "test"))
    assert layer.media_type == "application/vnd.dev.cosign.simplesigning.v1+json"
    signature = base64.b64decode(layer.annotations["dev.cosignproject.cosign/signature"])
    private.public_key().verify(signature, layer.data, ec.ECDSA(hashes.SHA256()))


def test_manifest_lists_layers_and_a_config_naming_them() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    layer = signature_layer("r/x", DIGEST, SigningKey(private, "test"))
    config, body = attachment_manifest([layer.descriptor()])
    manifest = json.loads(body)
    assert manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert manifest["config"]["digest"] == "sha256:" + hashlib.sha256(config).hexdigest()
    assert manifest["layers"][0]["digest"] == "sha256:" + hashlib.sha256(layer.data).hexdigest()
    assert manifest["layers"][0]["size"] == len(layer.data)
    assert json.loads(config)["rootfs"]["diff_ids"] == [layer.digest]


def test_pae_is_dsse_v1() -> None:
    assert pae("t/x", b"hello") == b"DSSEv1 3 t/x 5 hello"


def test_envelope_is_signed_over_pae_with_a_key_and_unsigned_without() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    statement = b'{"_type":"https://in-toto.io/Statement/v1"}'
    envelope = json.loads(dsse_envelope(statement, SigningKey(private, "test")))
    assert base64.b64decode(envelope["payload"]) == statement
    signed = pae("application/vnd.in-toto+json", statement)
    signature = base64.b64decode(envelope["signatures"][0]["sig"])
    private.public_key().verify(signature, signed, ec.ECDSA(hashes.SHA256()))
    assert json.loads(dsse_envelope(statement, None))["signatures"] == []
    layer = attestation_layer(statement, "https://slsa.dev/provenance/v1", None)
    assert layer.annotations["predicateType"] == "https://slsa.dev/provenance/v1"
    assert layer.media_type == "application/vnd.dsse.envelope.v1+json"
