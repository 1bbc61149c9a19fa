"""`[images.NAME]` tables -> `ImageSpec`s, and the checks across images (dependencies, engines,
refs produced twice); every problem is left on the `Validator`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.config import sections
from builder.config.model import (
    BUILDERS,
    IMAGE_NAME_RE,
    NETWORKS,
    BuildSection,
    CacheSettings,
    EnginesConfig,
    ImageSpec,
    SecretSource,
    TagRules,
)
from builder.config.sections import tag_rules
from builder.config.validate import Validator, type_name
from builder.refs import is_valid_repository, is_valid_tag
from builder.suggest import hint_for

IMAGE_KEYS = (
    "context",
    "dockerfile",
    "repository",
    "tags",
    "args",
    "target",
    "depends_on",
    "template",
    "vars",
    "labels",
    "builder",
    "network",
    "secrets",
    "tag_rules",
    "engine",
    "platforms",
    "emulation",
    "cache",
)


def image(
    v: Validator,
    name: str,
    table: Any,
    tags: TagRules,
    build: BuildSection,
    cache_section: CacheSettings | None = None,
) -> ImageSpec | None:
    """The spec of `[images.NAME]`, or None when it has a problem; `tags` is `[tags]` and
    `build` the `[build]` defaults."""
    where = ["images", name]
    if not IMAGE_NAME_RE.match(name):
        v.problem(
            where, "is not a valid image name", "use lowercase letters, digits, '.', '_', '-'"
        )
    if not isinstance(table, dict):
        v.problem(where, f"must be a table, not {type_name(table)}")
        return None
    before = len(v.problems)
    v.unknown_keys(table, IMAGE_KEYS, where)
    context = v.path_key(table, where, "context", required=True, directory=True)
    template = v.typed(table, where, "template", str)
    dockerfile = _dockerfile(v, table, where, context, template)
    repository = _repository(v, table, where, name)
    image_tags = _tags(v, table, where)
    variables = v.typed(table, where, "vars", dict) or {}
    if "vars" in table and template is None:
        v.problem([*where, "vars"], "vars are only used with template", "set template")
    own_rules = v.typed(table, where, "tag_rules", dict)
    rules = tag_rules(v, own_rules, [*where, "tag_rules"], tags) if own_rules is not None else None
    spec = ImageSpec(
        name=name,
        context=context or Path(),
        dockerfile=dockerfile,
        repository=repository,
        tags=image_tags,
        args=MappingProxyType(v.string_table(table, where, "args")),
        target=v.typed(table, where, "target", str),
        depends_on=tuple(v.string_list(table, where, "depends_on", default=[])),
        template=template,
        vars=MappingProxyType(dict(variables)),
        labels=MappingProxyType(v.string_table(table, where, "labels")),
        builder=v.choice(table, where, "builder", BUILDERS, "auto"),
        network=v.choice(table, where, "network", NETWORKS, "none"),
        secrets=_secrets(v, table, where),
        tag_rules=rules,
        engine=v.typed(table, where, "engine", str),
        platforms=v.platforms(table, where) or build.platforms,
        emulation=v.typed(table, where, "emulation", bool) is not False,
        cache=(
            sections.cache(v, table["cache"], [*where, "cache"], cache_section)
            if "cache" in table
            else cache_section
        ),
    )
    return None if len(v.problems) > before or context is None else spec


def _repository(v: Validator, table: Mapping[str, Any], where: list[str], name: str) -> str:
    repository = v.typed(table, where, "repository", str) or name
    if not is_valid_repository(repository):
        v.problem(
            [*where, "repository"],
            f"{repository!r} is not a valid repository name",
            "use lowercase path components such as 'shop/api'",
        )
    return str(repository)


def _dockerfile(
    v: Validator,
    table: Mapping[str, Any],
    where: list[str],
    context: Path | None,
    template: str | None,
) -> Path | None:
    """The Dockerfile an image builds; None for a templated image (or when unknown)."""
    if template is not None and "dockerfile" in table:
        v.problem(
            [*where, "template"],
            "an image takes either dockerfile or template, not both",
            "remove one of them",
        )
        return None
    if template is not None or context is None:
        return None
    relative = v.typed(table, where, "dockerfile", str) or "Dockerfile"
    dockerfile = (context / relative).resolve()
    if v.check_paths and not dockerfile.is_file():
        v.problem(
            [*where, "dockerfile" if "dockerfile" in table else "context"],
            f"no Dockerfile at {dockerfile}",
            "create it, or set dockerfile (relative to the context) or template",
        )
    return dockerfile


def _tags(v: Validator, table: Mapping[str, Any], where: list[str]) -> tuple[str, ...]:
    tags = v.string_list(table, where, "tags", default=["latest"])
    for tag in tags:
        if not is_valid_tag(tag):
            v.problem(
                [*where, "tags"],
                f"{tag!r} is not a valid tag",
                "use letters, digits, '_', '.', '-' (at most 128, not starting with . or -)",
            )
    return tuple(dict.fromkeys(tags))


def _secrets(v: Validator, table: Mapping[str, Any], where: list[str]) -> tuple[SecretSource, ...]:
    value = v.typed(table, where, "secrets", dict)
    if value is None:
        return ()
    sources = []
    for name, source in value.items():
        key = [*where, "secrets", name]
        if not isinstance(source, dict) or len(source) != 1 or not (set(source) <= {"file", "env"}):
            v.problem(key, 'must be { file = "PATH" } or { env = "VAR" }')
            continue
        if "file" in source:
            path = Path(str(source["file"])).expanduser()
            if not path.is_absolute():
                path = v.path.parent / path
            sources.append(SecretSource(name=name, file=path))
        else:
            sources.append(SecretSource(name=name, env=str(source["env"])))
    return tuple(sources)


def cross_checks(
    v: Validator, names: list[str], images: Mapping[str, ImageSpec], engines: EnginesConfig
) -> None:
    """What no single image shows: unknown engines and dependencies, a ref made twice."""
    hosts = [host.name for host in engines.hosts]
    for name, spec in images.items():
        # Without [engines.hosts], names come from --engine (e1, e2, ...): checked then.
        if spec.engine is not None and hosts and spec.engine not in hosts:
            v.problem(
                ["images", name, "engine"],
                f"names {spec.engine!r}, which is not an engine of [engines.hosts]",
                hint_for(spec.engine, hosts, "engines"),
            )
    for name, spec in images.items():
        for dependency in spec.depends_on:
            if dependency not in names:
                v.problem(
                    ["images", name, "depends_on"],
                    f"names {dependency!r}, which is not an image of this config",
                    hint_for(dependency, names, "images"),
                )
            elif dependency == name:
                v.problem(["images", name, "depends_on"], "an image cannot depend on itself")
    seen: dict[tuple[str, str], str] = {}
    for name, spec in images.items():
        for tag in spec.tags:
            owner = seen.setdefault((spec.repository, tag), name)
            if owner != name:
                v.problem(
                    ["images", name, "tags"],
                    f"{spec.repository}:{tag} is also produced by image {owner!r}",
                    "give each image its own repository or tags",
                )
