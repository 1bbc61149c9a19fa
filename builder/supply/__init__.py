"""Supply chain: signatures, provenance and SBOMs attached to every published digest.

Attachments follow cosign's tag-schema layout, so cosign finds them: for the manifest
`sha256:HEX` of a repository, the same repository holds

- `sha256-HEX.sig`: an OCI manifest whose layers are simple-signing payloads
  (`application/vnd.dev.cosign.simplesigning.v1+json`), each signature base64 in the layer
  annotation `dev.cosignproject.cosign/signature` (ECDSA P-256, SHA-256, ASN.1 DER);
- `sha256-HEX.att`: layers that are DSSE envelopes (`application/vnd.dsse.envelope.v1+json`)
  of in-toto statements, the layer annotated with its `predicateType`;
- `sha256-HEX.sbom`: the SPDX JSON document (`text/spdx+json`), or CycloneDX JSON
  (`application/vnd.cyclonedx+json`) with `--sbom-format cyclonedx`, as `cosign attach sbom`
  does.

The tags work on every registry and are what cosign 2's `cosign verify` reads (its default,
legacy mode). Where the registry offers the OCI 1.1 referrers API (`GET
/v2/NAME/referrers/DIGEST` answers with an index), each attachment is also pushed as an
artifact manifest whose `subject` is the digest, of cosign's OCI 1.1 artifact type
(`application/vnd.dev.cosign.artifact.sig.v1+json`, `.att.`, `.sbom.`), so `oras discover` and
cosign's `--registry-referrers-mode=oci-1-1` find them too. Where it does not (a 404, as from
distribution 2.8), the tags are the fallback and nothing carries a `subject`.

An image published as an index has its index and each platform's manifest signed and attested
(as `cosign sign --recursive` signs both), and an SBOM per platform manifest (as BuildKit
attaches one per platform); the index has no SBOM of its own.
"""
