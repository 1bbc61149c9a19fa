"""Supply chain: signatures, provenance and SBOMs attached to every published digest.

Attachments follow cosign's tag-schema layout, so cosign and oras tools find them: for the
manifest `sha256:HEX` of a repository, the same repository holds

- `sha256-HEX.sig`: an OCI manifest whose layers are simple-signing payloads
  (`application/vnd.dev.cosign.simplesigning.v1+json`), each signature base64 in the layer
  annotation `dev.cosignproject.cosign/signature` (ECDSA P-256, SHA-256, ASN.1 DER);
- `sha256-HEX.att`: layers that are DSSE envelopes (`application/vnd.dsse.envelope.v1+json`)
  of in-toto statements, the layer annotated with its `predicateType`;
- `sha256-HEX.sbom`: the SPDX JSON document (`text/spdx+json`), or CycloneDX JSON
  (`application/vnd.cyclonedx+json`) with `--sbom-format cyclonedx`, as `cosign attach sbom`
  does.

The OCI referrers API is not used: the tag schema works on every registry.
"""
