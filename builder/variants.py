"""Platform variants: the graph a build runs, one node per (image, platform).

An image with `platforms` (or every image, under `--platform`) becomes one node per platform.
The variant for the engine's own platform (else the first listed) is the image's primary one:
it keeps the image's name as its key and gets the configured tags. Every other variant is keyed
`NAME@OS/ARCH[/VARIANT]` and tagged with the platform appended to each tag
(`shop/web:latest-linux-arm64`, see `builder.platforms.variant_ref`), because an engine of this
generation keeps one image per tag. Images without platforms stay as they are, so a config that
names no platform runs exactly as before.

A variant depends on the same platform's variant of each image it reads, never on another
architecture; its Dockerfile is sent with those refs rewritten to the variant refs (BuildKit
resolves a local `FROM` only when the image under that tag has the platform asked for). Bases
from outside the graph are looked up the same way: the ref itself when the engine's image has
the platform, else its per-platform tag, else (a registry ref) BuildKit pulls the platform.
Whatever cannot be found is an error before anything is built, naming the image, the base and
the platform.

A stage whose `FROM` names a platform of its own (`FROM --platform=$BUILDPLATFORM ... AS build`,
the cross-compiling stage, or a literal platform) reads its base for that platform: in every
variant, that base is the variant of the engine's own platform (`$BUILDPLATFORM`), so an image
built only for the machine's platform can be the toolchain of images built for others. A ref
read that way and also by a stage of the target platform is read for the target platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from builder.dockerfile import Dockerfile, image_sources, substitute
from builder.engine.operations import TaggedImage
from builder.errors import GraphError
from builder.graph import Edge, Graph, ImageNode, built_stages, with_tag
from builder.platforms import (
    Platform,
    image_of,
    parse_platform,
    predefined_args,
    variant_key,
    variant_ref,
)
from builder.refs import split_ref


class TaggedLookup(Protocol):
    def tagged_image(self, ref: str) -> TaggedImage | None: ...


# The platforms a registry serves under a ref, or why it could not say (see base_platforms).
RemotePlatforms = Callable[[str], "tuple[Platform, ...] | str"]


def expand_platforms(
    graph: Graph,
    native: Platform,
    lookup: TaggedLookup,
    override: Sequence[Platform] = (),
    remote: RemotePlatforms | None = None,
) -> Graph:
    """The graph with one node per (image, platform); unchanged when no image has platforms.

    `remote` tells which platforms a registry serves for an outside base the engine does not
    hold for a platform (default: ask the registry, see `builder.base_platforms`)."""
    if not override and not any(node.spec.platforms for node in graph.nodes.values()):
        return graph
    keys: dict[str, dict[Platform, str]] = {}
    for name, node in graph.nodes.items():
        platforms = tuple(override) or node.spec.platforms
        if not platforms:
            keys[name] = {native: name}  # built for the engine's own platform, unnamed
            continue
        first = next((p for p in platforms if _same_machine(p, native)), platforms[0])
        keys[name] = {p: name if p == first else variant_key(name, p) for p in platforms}
    incoming: dict[str, list[Edge]] = {}
    for edge in graph.edges:
        incoming.setdefault(edge.dependent, []).append(edge)
    nodes: dict[str, ImageNode] = {}
    edges: list[Edge] = []
    for name, node in graph.nodes.items():
        explicit = bool(override) or bool(node.spec.platforms)
        for platform, key in keys[name].items():
            rewrites: dict[str, str] = {}
            reads = _stage_platforms(node, native, platform) if explicit else {}
            for edge in incoming.get(name, ()):
                wanted = reads.get(edge.ref or "", platform)
                edges.append(_variant_edge(edge, key, (platform, wanted), keys, rewrites))
            bases = (
                _external_bases(node, (platform, native), reads, lookup, remote or _ask, rewrites)
                if explicit
                else ()
            )
            nodes[key] = replace(
                node,
                external_bases=bases or node.external_bases,
                platform=platform if explicit else None,
                primary=key == name,
                rewrites=rewrites,
            )
    return Graph(nodes=nodes, edges=tuple(edges))


def _same_machine(a: Platform, b: Platform) -> bool:
    return (a.os, a.architecture) == (b.os, b.architecture)


def _variant_edge(
    edge: Edge,
    key: str,
    platforms: tuple[Platform, Platform],
    keys: Mapping[str, Mapping[Platform, str]],
    rewrites: dict[str, str],
) -> Edge:
    """`edge` for the variant `key` (built for the first of `platforms`): to the dependency's
    variant of the platform it is read for (the second: the same one, unless a `FROM
    --platform` says otherwise)."""
    platform, wanted = platforms
    variants = keys[edge.dependency]
    dependency = variants.get(wanted)
    if dependency is None:
        if edge.ref is None:  # depends_on orders builds; it reads no image
            return replace(edge, dependent=key, dependency=edge.dependency)
        built = ", ".join(str(p) for p in variants)
        read = "" if wanted == platform else f" and reads it for {wanted}"
        raise GraphError(
            f"image {image_of(key)} is built for {platform} on {edge.dependency} "
            f"({edge.reason}){read}, which is built only for {built}",
            hint=f"add {wanted} to images.{edge.dependency}.platforms (or [build] platforms)",
        )
    ref = edge.ref
    if ref is not None and dependency != edge.dependency:  # not the variant the tags name
        rewrites[ref] = variant_ref(ref, wanted)
        ref = rewrites[ref]
    return replace(edge, dependent=key, dependency=dependency, ref=ref)


def _stage_platforms(node: ImageNode, native: Platform, target: Platform) -> dict[str, Platform]:
    """The refs only `FROM --platform=...` lines read for a platform other than `target`
    (`$BUILDPLATFORM` is the engine's, `native`), and that platform."""
    automatic = predefined_args(native, target)
    own: dict[str, Platform] = {}
    for_target: set[str] = set()
    dockerfile = node.dockerfile
    for stage in built_stages(node.spec, dockerfile):
        flag = stage.platform and substitute(stage.platform, {**node.spec.args, **automatic})
        wanted = _parsed(flag) if flag else None
        for reference, line in dockerfile.external_images(node.spec.args, [stage]):
            ref = with_tag(reference) or reference
            if line == stage.line and wanted is not None and wanted != target:
                own[ref] = wanted
            else:
                for_target.add(ref)
    return {ref: platform for ref, platform in own.items() if ref not in for_target}


def _parsed(text: str) -> Platform | None:
    try:
        return parse_platform(text)
    except ValueError:
        return None  # not a platform BuildKit knows either: it fails the build, not the plan


def _external_bases(
    node: ImageNode,
    platforms: tuple[Platform, Platform],
    reads: Mapping[str, Platform],
    lookup: TaggedLookup,
    remote: RemotePlatforms,
    rewrites: dict[str, str],
) -> tuple[str, ...]:
    """The outside bases `node` reads for the first of `platforms` (the second is the
    engine's), each as the ref that holds the platform it is read for (`reads`: those a
    `FROM --platform` reads for another)."""
    target, native = platforms
    found: list[str] = []
    for ref in node.external_bases:
        platform = reads.get(with_tag(ref) or ref, target)
        chosen = _local_base(ref, platform, native, lookup)
        if chosen is None:
            served = remote(ref)
            if isinstance(served, str) or not any(_matches(p, platform, native) for p in served):
                raise _missing_base(node, ref, platform, lookup, served)
            chosen = ref  # BuildKit pulls that platform from the registry
        if chosen != ref:
            rewrites[with_tag(ref) or ref] = chosen
        found.append(chosen)
    return tuple(dict.fromkeys(found))


def _local_base(ref: str, platform: Platform, native: Platform, lookup: TaggedLookup) -> str | None:
    """The ref the engine holds `ref`'s `platform` under: itself, or its platform tag."""
    own = lookup.tagged_image(ref)
    if own is not None and _matches(own.platform, platform, native):
        return ref
    if split_ref(ref).digest is None:
        variant = variant_ref(ref, platform)
        held = lookup.tagged_image(variant)
        if held is not None and _matches(held.platform, platform, native):
            return variant
    return None


def _ask(ref: str) -> tuple[Platform, ...] | str:
    from builder.base_platforms import served_platforms

    return served_platforms(ref)


def _matches(found: Platform | None, wanted: Platform, native: Platform) -> bool:
    # An image config without an architecture is the engine's own (as the engine treats it).
    return _same_machine(found or native, wanted) and (
        not wanted.variant or not found or not found.variant or found.variant == wanted.variant
    )


def _missing_base(
    node: ImageNode,
    ref: str,
    platform: Platform,
    lookup: TaggedLookup,
    served: tuple[Platform, ...] | str,
) -> GraphError:
    own = lookup.tagged_image(ref)
    has = f"is {own.platform}" if own is not None and own.platform else "is not in the engine"
    if isinstance(served, str):
        remote = served
    else:
        remote = f"its registry serves only {', '.join(map(str, served)) or 'no platform'}"
    line = _line_of(node.dockerfile, ref, node.spec.args)
    where = f"{node.dockerfile_origin.name}:{line}" if line else node.dockerfile_origin.name
    return GraphError(
        f"image {node.spec.name} is built for {platform}, but its base {ref} ({where}) {has}, "
        f"the engine has no {variant_ref(ref, platform)} and {remote}",
        hint=f"load or build the {platform} variant as {variant_ref(ref, platform)}, use a "
        f"registry ref that serves {platform}, or remove {platform} from "
        f"images.{node.spec.name}.platforms",
    )


def _line_of(dockerfile: Dockerfile, ref: str, args: Mapping[str, str]) -> int | None:
    return next((line for found, line in dockerfile.external_images(args) if found == ref), None)


# -- the Dockerfile a variant sends ------------------------------------------------------------


def rewritten_text(node: ImageNode) -> str:
    """The Dockerfile text with every image ref of `node.rewrites` replaced where it is read
    (`FROM`, `COPY --from`, `RUN --mount=from`), line numbers unchanged."""
    if not node.rewrites:
        return node.dockerfile_text
    dockerfile, args = node.dockerfile, node.spec.args
    lines = node.dockerfile_text.splitlines(keepends=True)
    for stage in built_stages(node.spec, dockerfile):
        for raw, line in _written_refs(dockerfile, stage.index):
            is_base = line == stage.line
            resolved = dockerfile.resolved_base(stage, args) if is_base else substitute(raw, args)
            if dockerfile.stage_by_reference(resolved, stage.index) is not None:
                continue  # one of the file's own stages
            target = node.rewrites.get(with_tag(resolved) or resolved)
            if target is not None:
                index = line - 1
                lines[index] = re.sub(
                    rf"(?<![^\s=]){re.escape(raw)}(?![^\s,])", target, lines[index], count=1
                )
    return "".join(lines)


def _written_refs(dockerfile: Dockerfile, stage_index: int) -> list[tuple[str, int]]:
    """(ref as written, line) of what the stage reads: its base and `--from` images."""
    stage = dockerfile.stages[stage_index]
    found = [(stage.base, stage.line)]
    for instruction in stage.instructions:
        found += [(source, instruction.line) for source in image_sources(instruction)]
    return found
