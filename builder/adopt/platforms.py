"""Platforms of Compose's `build.platforms` and Bake's `platforms`, as imgbuild reads them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from builder.adopt.model import ProposedImage
from builder.platforms import Platform, PlatformError, parse_platform


def converted_platforms(
    texts: Iterable[str], where: str, note: Callable[[str], None]
) -> tuple[Platform, ...]:
    """Each platform normalised as the config would (`linux/aarch64` is `linux/arm64`); one
    imgbuild does not know is noted as not converted, and the others are kept."""
    found: list[Platform] = []
    for text in texts:
        try:
            found.append(parse_platform(text))
        except PlatformError as error:
            note(f"{where}: {error.message}: not converted ({error.hint})")
    return tuple(dict.fromkeys(found))


def shared_platforms(images: Sequence[ProposedImage]) -> tuple[Platform, ...]:
    """The platforms to write once under `[build]`: those of every image, when there are two
    images or more and each names the same; else () (each image says its own, or none)."""
    first = images[0].platforms if images else ()
    if len(images) < 2 or not first:
        return ()
    return first if all(image.platforms == first for image in images) else ()
