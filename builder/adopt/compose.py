"""`imgbuild init --from compose.yaml`: the build sections of a Compose file as images.

Follows the Compose specification's `services.*.build`: `context`, `dockerfile`, `args` (map or
list), `target`, `tags`, `labels`, `secrets` (from the top-level `secrets`), `network`,
`platforms`, `additional_contexts` (`service:NAME` becomes an edge), with `image` as repository
and tag (default `PROJECT-SERVICE`, as Compose names it). Services with the same build and
image are one image; two builds claiming one image are reported with both lines and written
apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.adopt.inline import place_inline
from builder.adopt.interpolate import InterpolationError, interpolate, read_env_file
from builder.adopt.located import Located, load_yaml
from builder.adopt.model import InlineDockerfile, Note, Proposal, ProposedImage, Secret
from builder.adopt.names import clean_name, unique_name
from builder.adopt.platforms import converted_platforms
from builder.errors import UsageError
from builder.platforms import Platform
from builder.refs import parse_ref

_CONVERTED = frozenset(
    {
        "context",
        "dockerfile",
        "dockerfile_inline",
        "args",
        "target",
        "tags",
        "labels",
        "secrets",
        "network",
        "platforms",
    }
)
_NETWORKS = ("none", "host", "default")
_REMOTE = re.compile(r"^(?:[a-z]+://|git@|github\.com/)")


@dataclass
class _Reading:
    """One Compose file being converted: where it is, and the notes so far."""

    path: Path
    secrets: Located
    project: str
    prefix: str
    env: Mapping[str, str]
    root: Path
    notes: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(Path(self.path.name), line, message))

    def fail(self, line: int, message: str) -> UsageError:
        return UsageError(message, path=self.path, line=line)


@dataclass(frozen=True)
class _Build:
    service: str
    line: int
    image: ProposedImage
    contexts: tuple[tuple[str, int], ...] = ()  # (service, line) of `service:` contexts


def propose_from_compose(path: Path, root: Path, prefix: str) -> Proposal:
    document = load_yaml(path)
    if not isinstance(document, Located) or not isinstance(document.get("services"), Located):
        raise UsageError(
            "not a Compose file: no services mapping",
            path=path,
            line=document.line if isinstance(document, Located) else 1,
        )
    env = {**read_env_file(path.parent / ".env"), **os.environ}
    document = _interpolated(document, env, path, 1)
    secrets = document.get("secrets")
    reading = _Reading(
        path=path,
        secrets=secrets if isinstance(secrets, Located) else Located(),
        project=_project_name(document, env, path),
        prefix=prefix,
        env=env,
        root=root,
    )
    builds = list(_builds(reading, document["services"]))
    images = _merge(reading, builds)
    return Proposal(
        root=root,
        images=images,
        skipped=tuple(reading.skipped),
        unconverted=tuple(sorted(reading.notes, key=lambda note: note.line or 0)),
    )


def _interpolated(value: Any, env: Mapping[str, str], path: Path, line: int) -> Any:
    if isinstance(value, Located):
        copy = Located()
        copy.line, copy.lines = value.line, dict(value.lines)
        for key, item in value.items():
            copy[key] = _interpolated(item, env, path, value.line_of(key))
        return copy
    if isinstance(value, list):
        return [_interpolated(item, env, path, line) for item in value]
    if isinstance(value, str):
        try:
            return interpolate(value, env)
        except InterpolationError as error:
            raise UsageError(str(error), path=path, line=line) from error
    return value


def _project_name(document: Located, env: Mapping[str, str], path: Path) -> str:
    """Compose's project name: COMPOSE_PROJECT_NAME, else `name:`, else the file's folder."""
    name = env.get("COMPOSE_PROJECT_NAME") or document.get("name") or path.resolve().parent.name
    return re.sub(r"[^a-z0-9_-]", "", str(name).lower()) or "project"


def _builds(reading: _Reading, services: Located) -> Iterator[_Build]:
    for service, definition in services.items():
        line = services.line_of(service)
        if not isinstance(definition, Located):
            raise reading.fail(line, f"services.{service}: must be a mapping")
        build = definition.get("build")
        if build is None:
            reading.skipped.append(Note(Path(reading.path.name), line, f"{service}: no build"))
            continue
        if isinstance(build, str):
            section = Located()
            section.line = definition.line_of("build")
            section["context"] = build
            section.lines["context"] = section.line
            build = section
        if not isinstance(build, Located):
            raise reading.fail(definition.line_of("build"), f"services.{service}.build: invalid")
        converted = _build(reading, str(service), line, definition, build)
        if converted is not None:
            yield converted


def _build(
    reading: _Reading, service: str, line: int, definition: Located, build: Located
) -> _Build | None:
    where = f"services.{service}.build"
    unsupported = _unsupported(build)
    if unsupported is not None:
        key, what = unsupported
        note = Note(Path(reading.path.name), build.line_of(key), f"{service}: {what}")
        reading.skipped.append(note)
        return None
    for key in build:
        if key not in _CONVERTED and key != "additional_contexts":
            reading.note(build.line_of(key), f"{where}.{key}: not converted")
    context = _context(reading, build, where)
    inline = None
    if build.get("dockerfile_inline") is not None:
        key, text = f"{where}.dockerfile_inline", str(build["dockerfile_inline"])
        file = Path(reading.path.name)
        inline = InlineDockerfile(text, file, build.line_of("dockerfile_inline"), key)
    # An inline Dockerfile's file is chosen once the image's name is (see _merge).
    dockerfile = context if inline else _dockerfile(reading, build, where, context)
    repository, tags = _repository(reading, service, definition, build)
    image = ProposedImage(
        name=clean_name(service),
        context=context,
        dockerfile=dockerfile,
        repository=repository,
        origin=f"compose service {service} ({reading.path.name}:{line})",
        tags=tags,
        args=MappingProxyType(_args(build.get("args"), reading.env)),
        target=_optional(build.get("target")),
        platforms=_platforms(reading, build, where),
        labels=MappingProxyType(_pairs(build.get("labels"))),
        secrets=_secrets(reading, build, where),
        network=_network(reading, build, where),
        inline=inline,
    )
    return _Build(service, line, image, _service_contexts(reading, build, where))


def _unsupported(build: Located) -> tuple[str, str] | None:
    """What makes a build impossible to write as an image: (its key, why)."""
    if _REMOTE.match(str(build.get("context", ""))):
        return "context", f"remote context {build['context']}: imgbuild builds local folders"
    return None


def _context(reading: _Reading, build: Located, where: str) -> Path:
    context = (reading.path.parent / str(build.get("context") or ".")).resolve()
    if not context.is_dir():
        raise reading.fail(build.line_of("context"), f"{where}.context: no folder {context}")
    return context


def _dockerfile(reading: _Reading, build: Located, where: str, context: Path) -> Path:
    dockerfile = (context / str(build.get("dockerfile") or "Dockerfile")).resolve()
    if not dockerfile.is_file():
        line = build.line_of("dockerfile" if "dockerfile" in build else "context")
        raise reading.fail(line, f"{where}.dockerfile: no file {dockerfile}")
    return dockerfile


def _repository(
    reading: _Reading, service: str, definition: Located, build: Located
) -> tuple[str, tuple[str, ...]]:
    """The repository and tags: `image`, else PROJECT-SERVICE, plus `build.tags` of it."""
    image = definition.get("image")
    ref = parse_ref(str(image)) if image is not None else None
    if image is not None and (ref is None or ref.digest):
        raise reading.fail(definition.line_of("image"), f"services.{service}.image: {image!r}")
    repository = ref.repository if ref else f"{reading.prefix}{reading.project}-{service}"
    tags = [ref.tag_or_latest if ref else "latest"]
    for tag in build.get("tags") or []:
        extra = parse_ref(str(tag))
        if extra is not None and extra.repository == repository and not extra.digest:
            tags.append(extra.tag_or_latest)
        else:
            reading.note(
                build.line_of("tags"),
                f"services.{service}.build.tags: {tag} names another repository: not converted",
            )
    return repository, tuple(dict.fromkeys(tags))


def _args(value: Any, env: Mapping[str, str]) -> dict[str, str]:
    """Args as a map or a list; `NAME` alone (or a null value) takes NAME from the
    environment or `.env`, and is left out when it is not set there, as Compose does."""
    pairs: dict[str, str | None] = {}
    if isinstance(value, list):
        for item in value:
            key, sep, text = str(item).partition("=")
            pairs[key] = text if sep else None
    elif isinstance(value, Mapping):
        pairs = {str(k): None if v is None else _scalar(v) for k, v in value.items()}
    resolved = {key: text if text is not None else env.get(key) for key, text in pairs.items()}
    return {key: text for key, text in resolved.items() if text is not None}


def _pairs(value: Any) -> dict[str, str]:
    if isinstance(value, list):
        return {k: v for k, _, v in (str(item).partition("=") for item in value)}
    if isinstance(value, Mapping):
        return {str(k): _scalar(v) for k, v in value.items()}
    return {}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def _platforms(reading: _Reading, build: Located, where: str) -> tuple[Platform, ...]:
    value, line = build.get("platforms"), build.line_of("platforms")
    if value is None:
        return ()
    if not isinstance(value, list):
        reading.note(line, f"{where}.platforms: {value}: not a list: not converted")
        return ()
    where = f"{where}.platforms"
    return converted_platforms((str(p) for p in value), where, lambda m: reading.note(line, m))


def _secrets(reading: _Reading, build: Located, where: str) -> tuple[Secret, ...]:
    found = []
    for entry in build.get("secrets") or []:
        source = str(entry.get("source") if isinstance(entry, Mapping) else entry)
        secret_id = str(entry.get("target") or source) if isinstance(entry, Mapping) else source
        definition = reading.secrets.get(source)
        if isinstance(definition, Mapping) and definition.get("file"):
            file = (reading.path.parent / str(definition["file"])).resolve()
            found.append(Secret(secret_id, file=file))
        elif isinstance(definition, Mapping) and definition.get("environment"):
            found.append(Secret(secret_id, env=str(definition["environment"])))
        else:
            reading.note(build.line_of("secrets"), f"{where}.secrets: {source}: not converted")
    return tuple(found)


def _network(reading: _Reading, build: Located, where: str) -> str | None:
    network = build.get("network")
    if network is None or str(network) in _NETWORKS:
        return None if network is None else str(network)
    reading.note(build.line_of("network"), f"{where}.network: {network}: not converted")
    return None


def _service_contexts(reading: _Reading, build: Located, where: str) -> tuple[tuple[str, int], ...]:
    line = build.line_of("additional_contexts")
    found = []
    for name, value in _pairs(build.get("additional_contexts")).items():
        if value.startswith("service:"):
            found.append((value.removeprefix("service:"), line))
            reading.note(
                line, f"{where}.additional_contexts.{name}: {value} becomes an edge (depends_on)"
            )
        else:
            reading.note(line, f"{where}.additional_contexts.{name}: {value}: not converted")
    return tuple(found)


def _merge(reading: _Reading, builds: list[_Build]) -> tuple[ProposedImage, ...]:
    """One image per distinct build; a second build claiming an image is written apart."""
    images: dict[str, ProposedImage] = {}  # name -> image
    by_service: dict[str, str] = {}  # service -> image name
    claims: dict[tuple[str, str], _Build] = {}  # repository:tag -> the first build
    for build in builds:
        same = next((n for n, i in images.items() if _same(i, build.image)), None)
        if same is not None:
            by_service[build.service] = same
            images[same] = replace(images[same], origin=_joined(images[same].origin, build))
            continue
        image = _apart(reading, build, claims)
        name = unique_name([image.name, f"{image.name}-image"], images)
        images[name] = replace(image, name=name)
        by_service[build.service] = name
        for tag in image.tags:
            claims.setdefault((image.repository, tag), build)
    placed, notes, skipped = place_inline(images, reading.root)
    reading.notes += notes
    reading.skipped += skipped
    kept = {service: name for service, name in by_service.items() if name in placed}
    return tuple(_with_edges(reading, placed, kept, builds))


def _same(first: ProposedImage, second: ProposedImage) -> bool:
    return replace(first, name="", origin="") == replace(second, name="", origin="")


def _joined(origin: str, build: _Build) -> str:
    return f"{origin}, {build.service} ({build.image.origin.rpartition('(')[2]}"


def _apart(
    reading: _Reading, build: _Build, claims: Mapping[tuple[str, str], _Build]
) -> ProposedImage:
    image = build.image
    first = next(
        (claims[(image.repository, t)] for t in image.tags if (image.repository, t) in claims), None
    )
    if first is None:
        return image
    repository = f"{image.repository}-{clean_name(build.service)}"
    reading.note(
        build.line,
        f"services.{build.service} builds {image.repository} differently from "
        f"services.{first.service} ({reading.path.name}:{first.line}): written with "
        f"repository {repository}",
    )
    return replace(image, repository=repository)


def _with_edges(
    reading: _Reading,
    images: Mapping[str, ProposedImage],
    by_service: Mapping[str, str],
    builds: list[_Build],
) -> Iterator[ProposedImage]:
    needs: dict[str, list[str]] = {name: [] for name in images}
    for build in (b for b in builds if b.service in by_service):
        for service, line in build.contexts:
            if service in by_service:
                needs[by_service[build.service]].append(by_service[service])
            else:
                reading.note(
                    line,
                    f"service:{service}: no image for that service (no build, or skipped): no edge",
                )
    for name, image in images.items():
        depends = tuple(dict.fromkeys(d for d in needs[name] if d != name))
        yield replace(image, depends_on=depends) if depends else image
