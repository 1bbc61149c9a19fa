"""Which platforms a registry serves under a ref: the check before a multi-platform build that
an outside base the engine does not hold for a platform can be pulled for it.

One manifest request (and, for a single-image manifest, its small config blob), with the same
credentials as publish. Any failure is an answer too (why it could not say), never an exception:
the caller turns it into the one error that names the image, the base and the platform.
"""

from __future__ import annotations

from functools import cache

from builder.errors import ImgbuildError
from builder.platforms import Platform
from builder.refs import split_ref, split_registry
from builder.retry import RetryPolicy

# A base that cannot be asked quickly is reported, not waited for: the build would fail too.
_ONE_TRY = RetryPolicy(attempts=1, timeout=10.0)


@cache
def served_platforms(ref: str) -> tuple[Platform, ...] | str:
    """The platforms `ref`'s registry serves for it, or why it could not say."""
    from builder.oci.documents import config_platform, index_entries
    from builder.registry import RegistryClient

    parsed = split_ref(ref)
    host, path = split_registry(parsed.repository)
    reference = parsed.digest or parsed.tag_or_latest
    try:
        with RegistryClient.for_registry(host, _ONE_TRY) as client:
            manifest = client.get_manifest(path, reference)
            if manifest is None:
                return f"{host} has no {path}:{reference}"
            entries = index_entries(manifest)
            if entries is not None:  # attestation entries say `unknown/unknown`
                return tuple(
                    entry.platform
                    for entry in entries
                    if entry.platform.architecture not in ("", "unknown")
                )
            if manifest.config_digest is None:
                return f"{host} served an unreadable manifest for {ref}"
            config = client.get_blob(path, manifest.config_digest)
    except ImgbuildError as error:
        return f"{host} could not be asked ({error})"
    if config is None:
        return f"{host} has no config blob for {ref}"
    try:
        return (config_platform(config),)
    except ImgbuildError:
        return f"{host} served an unreadable config for {ref}"
