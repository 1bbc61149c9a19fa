"""`imgbuild init --from docker-bake.hcl|json`: Bake targets as images.

The `default` group's targets (all targets without one), with `inherits` merged, variables at
their defaults (an environment variable of the same name wins, as in Bake), `tags` as
repository and tags, `args`, `labels`, `target`, `network`, `secret`, `platforms`,
`dockerfile-inline` (written out, see `builder.adopt.inline`), and `contexts` whose `target:`
becomes an edge. Function calls, matrices, remote contexts and platforms imgbuild does not know
cannot be said in imgbuild.toml: each is listed with its line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.adopt.bake_read import Block, Literal, read_bake, string_text
from builder.adopt.inline import place_inline
from builder.adopt.model import InlineDockerfile, Note, Proposal, ProposedImage, Secret
from builder.adopt.names import clean_name, unique_name
from builder.adopt.platforms import converted_platforms
from builder.errors import UsageError
from builder.platforms import Platform
from builder.refs import parse_ref

_MAPS = ("args", "labels", "contexts")
_CONVERTED = frozenset(
    {
        "context",
        "dockerfile",
        "dockerfile-inline",
        "tags",
        "args",
        "labels",
        "target",
        "network",
        "secret",
        "platforms",
    }
)
_IGNORED = frozenset({"inherits", "contexts", "description"})
_SIMPLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_REMOTE = re.compile(r"^(?:[a-z]+://|git@)")
_TEMPLATE = re.compile(r"\$\$\{|%%\{|\$\{([^}]*)\}|%\{")


class _Unevaluated(ValueError):
    pass


@dataclass
class _Reading:
    path: Path
    variables: Mapping[str, str]
    notes: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(Path(self.path.name), line, message))

    def skip(self, line: int, message: str) -> None:
        self.skipped.append(Note(Path(self.path.name), line, message))


def propose_from_bake(path: Path, root: Path, prefix: str) -> Proposal:
    blocks = read_bake(path)
    targets = {b.label: b for b in blocks if b.kind == "target"}
    if not targets:
        raise UsageError("not a Bake file: no target", path=path, line=1)
    reading = _Reading(path, _variables(path, blocks))
    for block in blocks:
        if block.kind == "function":
            reading.note(block.line, f"function {block.label}: not converted (not evaluated)")
    chosen = _with_context_targets(reading, targets, _chosen(reading, blocks, targets))
    for label, block in targets.items():
        if label not in chosen and not _inherited(label, targets):
            reading.skip(block.line, f"target {label}: not in group default")
    images: dict[str, ProposedImage] = {}
    names: dict[str, str] = {}
    for label in chosen:
        image = _image(reading, label, _merged(reading, targets, label), prefix)
        if image is not None:
            name = unique_name([image.name, f"{image.name}-image"], images)
            names[label] = name
            images[name] = replace(image, name=name)
    placed, notes, skipped = place_inline(images, root)
    reading.notes += notes
    reading.skipped += skipped
    names = {label: name for label, name in names.items() if name in placed}
    return Proposal(
        root=root,
        images=tuple(_with_edges(reading, targets, placed, names)),
        skipped=tuple(reading.skipped),
        unconverted=tuple(sorted(reading.notes, key=lambda note: note.line or 0)),
    )


def _variables(path: Path, blocks: list[Block]) -> dict[str, str]:
    """Each variable's value: the environment's, else its default (which may use others)."""
    values: dict[str, str] = {}
    for block in (b for b in blocks if b.kind == "variable"):
        if block.label in os.environ:
            values[block.label] = os.environ[block.label]
            continue
        default = block.attributes.get("default")
        try:
            values[block.label] = _evaluate(default, values) if default is not None else ""
        except _Unevaluated as error:
            raise UsageError(
                f"variable {block.label}: {error} cannot be evaluated",
                path=path,
                line=block.line_of("default"),
            ) from error
    return values


def _evaluate(value: Any, variables: Mapping[str, str]) -> str:
    """A string with `${VAR}` replaced; anything else Bake would compute is unevaluated."""
    if isinstance(value, Literal):
        if value.text in variables:
            return variables[value.text]
        raise _Unevaluated(value.text)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    replaced = _SIMPLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
    if "${" in replaced:
        raise _Unevaluated(text)
    return replaced


def _chosen(reading: _Reading, blocks: list[Block], targets: Mapping[str, Block]) -> list[str]:
    """The targets of the `default` group (groups expanded), else every target."""
    groups = {b.label: b for b in blocks if b.kind == "group"}
    if "default" not in groups:
        return list(targets)
    chosen: list[str] = []
    stack = [("default", groups["default"].line)]
    while stack:
        name, line = stack.pop(0)
        if name in groups:
            members = groups[name].attributes.get("targets") or []
            stack.extend((str(m), groups[name].line_of("targets")) for m in members)
        elif name in targets:
            chosen.append(name)
        else:
            raise UsageError(
                f"group names {name!r}, which is no target", path=reading.path, line=line
            )
    return list(dict.fromkeys(chosen))


def _with_context_targets(
    reading: _Reading, targets: Mapping[str, Block], chosen: list[str]
) -> list[str]:
    """`chosen` and the targets their `target:` contexts build on, transitively."""
    result = list(chosen)
    for label in result:  # grows while it is read: each added target is visited too
        contexts = _merged(reading, targets, label).attributes.get("contexts") or {}
        for value in contexts.values():
            other = str(value).removeprefix("target:")
            if str(value).startswith("target:") and other in targets and other not in result:
                result.append(other)
    return result


def _inherited(label: str, targets: Mapping[str, Block]) -> bool:
    return any(label in (b.attributes.get("inherits") or []) for b in targets.values())


def _merged(reading: _Reading, targets: Mapping[str, Block], label: str) -> Block:
    """The target with its `inherits` applied: parents in order, then its own attributes;
    maps (args, labels, contexts) merge key by key."""
    block = targets[label]
    attributes: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for parent in block.attributes.get("inherits") or []:
        if str(parent) not in targets:
            raise UsageError(
                f"target {label} inherits {parent!r}, which is no target",
                path=reading.path,
                line=block.line_of("inherits"),
            )
        inherited = _merged(reading, targets, str(parent))
        _merge_into(attributes, lines, inherited)
    _merge_into(attributes, lines, block)
    return Block("target", label, block.line, attributes, lines)


def _merge_into(attributes: dict[str, Any], lines: dict[str, int], block: Block) -> None:
    for key, value in block.attributes.items():
        if key in _MAPS and isinstance(value, dict) and isinstance(attributes.get(key), dict):
            attributes[key] = {**attributes[key], **value}
        else:
            attributes[key] = value
        lines[key] = block.line_of(key)


def _image(reading: _Reading, label: str, block: Block, prefix: str) -> ProposedImage | None:
    if "matrix" in block.attributes:
        reading.skip(block.line_of("matrix"), f"target {label}: matrix not converted")
        return None
    inline = _inline(reading, label, block)
    if inline is None and "dockerfile-inline" in block.attributes:
        return None
    values = _values(reading, label, block)
    context_text = values.get("context") or "."
    if _REMOTE.match(context_text):
        reading.skip(block.line_of("context"), f"target {label}: remote context {context_text}")
        return None
    context = (reading.path.parent / context_text).resolve()
    if not context.is_dir():
        message = f"target {label}: context: no folder {context}"
        raise UsageError(message, path=reading.path, line=block.line_of("context"))
    # An inline Dockerfile's file is chosen once the image's name is (see propose_from_bake).
    dockerfile = context if inline else (context / (values.get("dockerfile") or "Dockerfile"))
    if not inline and not dockerfile.resolve().is_file():
        line = block.line_of("dockerfile")
        raise UsageError(
            f"target {label}: no Dockerfile {dockerfile.resolve()}", path=reading.path, line=line
        )
    repository, tags = _repository(reading, label, block, prefix)
    return ProposedImage(
        name=clean_name(label),
        context=context,
        dockerfile=dockerfile.resolve(),
        repository=repository,
        origin=f"bake target {label} ({reading.path.name}:{block.line})",
        tags=tags,
        args=MappingProxyType(_map(reading, block, "args")),
        target=values.get("target"),
        platforms=_platforms(reading, block),
        labels=MappingProxyType(_map(reading, block, "labels")),
        secrets=tuple(_secrets(reading, block)),
        network=_network(reading, block, values.get("network")),
        inline=inline,
    )


def _inline(reading: _Reading, label: str, block: Block) -> InlineDockerfile | None:
    """The target's `dockerfile-inline`, with `${VAR}` evaluated; None when it has none, or
    when it cannot be evaluated (the target is then skipped, saying why)."""
    value, line = block.attributes.get("dockerfile-inline"), block.line_of("dockerfile-inline")
    if value is None:
        return None
    try:
        if isinstance(value, Literal):
            raise _Unevaluated(value.text)
        text = string_text(str(value), json_file=reading.path.suffix == ".json")
        text = _template(text, reading.variables)
    except _Unevaluated as error:
        reading.skip(line, f"target {label}: dockerfile-inline: {error} cannot be evaluated")
        return None
    key = f"target {label}: dockerfile-inline"
    return InlineDockerfile(text, Path(reading.path.name), line, key)


def _template(text: str, variables: Mapping[str, str]) -> str:
    """An HCL template: `${VAR}` replaced, `$${` and `%%{` read as `${` and `%{` (how a
    Dockerfile's own `${ARG}` is written in Bake); any other expression is unevaluated."""

    def one(match: re.Match[str]) -> str:
        whole, name = match.group(0), (match.group(1) or "").strip()
        if whole in ("$${", "%%{"):
            return whole[1:]
        if whole.startswith("${") and name in variables:
            return variables[name]
        raise _Unevaluated(whole)

    return _TEMPLATE.sub(one, text)


def _values(reading: _Reading, label: str, block: Block) -> dict[str, str]:
    """The target's single-string attributes, evaluated; the rest noted as not converted."""
    values: dict[str, str] = {}
    for key, value in block.attributes.items():
        if key not in _CONVERTED and key not in _IGNORED:
            reading.note(block.line_of(key), f"target {label}: {key}: not converted")
        elif key in ("context", "dockerfile", "target", "network"):
            evaluated = _or_note(reading, block, key, value)
            if evaluated is not None:
                values[key] = evaluated
    return values


def _or_note(reading: _Reading, block: Block, key: str, value: Any) -> str | None:
    try:
        return _evaluate(value, reading.variables)
    except _Unevaluated as error:
        line = block.line_of(key.partition(".")[0])  # `labels.NAME`: the line of labels
        reading.note(line, f"target {block.label}: {key}: {error}: not converted")
        return None


def _repository(
    reading: _Reading, label: str, block: Block, prefix: str
) -> tuple[str, tuple[str, ...]]:
    """The first tag's repository, with every tag of it; other repositories are noted."""
    refs = [_or_note(reading, block, "tags", tag) for tag in block.attributes.get("tags") or []]
    parsed = [(text, parse_ref(text)) for text in refs if text is not None]
    first = next((ref for _, ref in parsed if ref is not None and not ref.digest), None)
    if first is None:
        return f"{prefix}{clean_name(label)}", ()
    tags = []
    for text, ref in parsed:
        if ref is not None and ref.repository == first.repository and not ref.digest:
            tags.append(ref.tag_or_latest)
        else:
            message = f"target {label}: tag {text} names another repository: not converted"
            reading.note(block.line_of("tags"), message)
    return first.repository, tuple(dict.fromkeys(tags))


def _platforms(reading: _Reading, block: Block) -> tuple[Platform, ...]:
    value, line = block.attributes.get("platforms"), block.line_of("platforms")
    if value is None:
        return ()
    where = f"target {block.label}: platforms"
    if not isinstance(value, list):
        reading.note(line, f"{where}: {value}: not a list: not converted")
        return ()
    texts = [_or_note(reading, block, "platforms", item) for item in value]
    found = (text for text in texts if text is not None)
    return converted_platforms(found, where, lambda message: reading.note(line, message))


def _map(reading: _Reading, block: Block, key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in (block.attributes.get(key) or {}).items():
        if value is not None:
            evaluated = _or_note(reading, block, f"{key}.{name}", value)
            if evaluated is not None:
                found[str(name)] = evaluated
    return found


def _secrets(reading: _Reading, block: Block) -> Iterator[Secret]:
    for entry in block.attributes.get("secret") or []:
        text = _or_note(reading, block, "secret", entry)
        options = dict(part.partition("=")[::2] for part in (text or "").split(","))
        if "id" in options and (options.get("src") or options.get("source")):
            source = options.get("src") or options.get("source") or ""
            yield Secret(options["id"], file=(reading.path.parent / source).resolve())
        elif "id" in options and (options.get("env") or options.get("type") == "env"):
            yield Secret(options["id"], env=options.get("env") or options["id"])
        elif text is not None:
            reading.note(
                block.line_of("secret"), f"target {block.label}: secret {text}: not converted"
            )


def _network(reading: _Reading, block: Block, network: str | None) -> str | None:
    if network is None or network in ("none", "host", "default"):
        return network
    reading.note(
        block.line_of("network"), f"target {block.label}: network {network}: not converted"
    )
    return None


def _with_edges(
    reading: _Reading,
    targets: Mapping[str, Block],
    images: Mapping[str, ProposedImage],
    names: Mapping[str, str],
) -> Iterator[ProposedImage]:
    """`contexts = { NAME = "target:OTHER" }` becomes `depends_on`; other contexts are noted."""
    by_name = {name: label for label, name in names.items()}
    for name, image in images.items():
        block = _merged(reading, targets, by_name[name])
        depends = []
        for context, value in (block.attributes.get("contexts") or {}).items():
            text = _or_note(reading, block, f"contexts.{context}", value) or ""
            other = text.removeprefix("target:")
            line = block.line_of("contexts")
            if text.startswith("target:") and other in names:
                depends.append(names[other])
                edge = f"{text} becomes an edge (depends_on)"
                reading.note(line, f"target {block.label}: contexts.{context}: {edge}")
            elif text:
                reading.note(
                    line, f"target {block.label}: contexts.{context}: {text}: not converted"
                )
        unique = tuple(dict.fromkeys(d for d in depends if d != name))
        yield replace(image, depends_on=unique) if unique else image
