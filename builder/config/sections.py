"""`[engines]`, `[tags]` (and an image's `tag_rules`), `[publish]`, `[templates]` and `[lint]`,
each read into its record at load; every problem is left on the `Validator`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from builder.config.model import (
    CACHE_MODES,
    ENGINE_SCHEMES,
    IMAGE_NAME_RE,
    SBOM_FORMATS,
    BuildSection,
    CacheSettings,
    EngineHost,
    EnginesConfig,
    PublishSection,
    TagRules,
    TemplatesSection,
    TlsSettings,
)
from builder.config.validate import Validator, type_name
from builder.errors import ConfigError, UsageError
from builder.lint.settings import PartialSettings, toml_lint_settings
from builder.refs import is_valid_repository, is_valid_tag

_ENGINES_KEYS = ("hosts", "transfer_registry")
_HOST_KEYS = ("url", "jobs", "tls", "platforms")
_TLS_KEYS = ("ca", "cert", "key", "verify")
_PUBLISH_KEYS = ("registries", "sign_key", "sbom", "provenance", "sbom_format")
_BOOL_RULES = ("sha", "branch", "version", "minor", "major", "latest")
_RULE_KEYS = (*_BOOL_RULES, "sha_length", "raw")
_TAG_HINT = "use letters, digits, '_', '.', '-' (at most 128, not starting with . or -)"


# -- [engines] ---------------------------------------------------------------------------------


def engines(v: Validator, table: Mapping[str, Any]) -> EnginesConfig:
    where = ["engines"]
    v.unknown_keys(table, _ENGINES_KEYS, where)
    registry = v.typed(table, where, "transfer_registry", str)
    if registry is not None and not _valid_transfer_registry(registry):
        v.problem(
            [*where, "transfer_registry"],
            f"{registry!r} is not HOST[:PORT][/PREFIX]",
            "write it like 127.0.0.1:5000/imgbuild-transfer",
        )
    hosts_table = v.typed(table, where, "hosts", dict) or {}
    hosts = []
    for name, host in hosts_table.items():
        parsed = _engine_host(v, name, host)
        if parsed is not None:
            hosts.append(parsed)
    return EnginesConfig(hosts=tuple(hosts), transfer_registry=registry)


def _engine_host(v: Validator, name: str, table: Any) -> EngineHost | None:
    where = ["engines", "hosts", name]
    if not IMAGE_NAME_RE.match(name):
        v.problem(
            where, "is not a valid engine name", "use lowercase letters, digits, '.', '_', '-'"
        )
    if not isinstance(table, dict):
        v.problem(
            where,
            f"must be a table, not {type_name(table)}",
            'write [engines.hosts.NAME] with url = "unix://..."',
        )
        return None
    before = len(v.problems)
    v.unknown_keys(table, _HOST_KEYS, where)
    url = v.typed(table, where, "url", str)
    if url is None and "url" not in table:
        v.problem(
            [*where, "url"],
            "is required",
            'add url = "unix:///var/run/docker.sock", "tcp://HOST:2376" or "ssh://..."',
        )
    elif url is not None and not url.startswith(ENGINE_SCHEMES):
        v.problem(
            [*where, "url"],
            f"{url!r} is not an engine URL",
            f"start it with one of {', '.join(ENGINE_SCHEMES)}",
        )
    jobs = v.typed(table, where, "jobs", int)
    if jobs is not None and jobs < 1:
        v.problem([*where, "jobs"], "must be at least 1")
    tls = _tls(v, table, where)
    platforms = v.platforms(table, where)
    if len(v.problems) > before or url is None:
        return None
    return EngineHost(name=name, url=url, jobs=jobs, tls=tls, platforms=platforms)


def _tls(v: Validator, table: Mapping[str, Any], where: list[str]) -> TlsSettings | None:
    value = v.typed(table, where, "tls", dict)
    if value is None:
        return None
    where = [*where, "tls"]
    v.unknown_keys(value, _TLS_KEYS, where)
    paths = {
        key: v.path_key(value, where, key, required=False, directory=False)
        for key in ("ca", "cert", "key")
    }
    if (paths["cert"] is None) != (paths["key"] is None):
        v.problem(where, "cert and key go together", "set both, or neither")
    verify = v.typed(value, where, "verify", bool)
    return TlsSettings(
        ca=paths["ca"],
        cert=paths["cert"],
        key=paths["key"],
        verify=True if verify is None else verify,
    )


def _valid_transfer_registry(value: str) -> bool:
    host, _, prefix = value.partition("/")
    return bool(re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?|\[[0-9a-fA-F:]+\](:\d+)?", host)) and (
        not prefix or is_valid_repository(prefix)
    )


# -- [tags] and an image's tag_rules -------------------------------------------------------------


def tag_rules(v: Validator, table: Mapping[str, Any], where: list[str], base: TagRules) -> TagRules:
    """`base` with the rules of `table` over it, key by key; a bad rule is left out."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        problem = _rule_problem(key, value)
        if problem is not None:
            v.problem([*where, key], *problem)
        else:
            changes[key] = tuple(value) if key == "raw" else value
    return replace(base, **changes)


def _rule_problem(key: str, value: Any) -> tuple[str, str | None] | None:
    """What is wrong with one tag rule (message, hint), or None."""
    if key not in _RULE_KEYS:
        return "unknown tag rule", f"known rules: {', '.join(_RULE_KEYS)}"
    if key in _BOOL_RULES and not isinstance(value, bool):
        return "must be true or false", None
    if key == "sha_length" and (
        not isinstance(value, int) or isinstance(value, bool) or not 4 <= value <= 40
    ):
        return "must be a whole number from 4 to 40", None
    if key == "raw":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return "must be a list of strings", None
        if bad := [item for item in value if not is_valid_tag(item)]:
            return f"{bad[0]!r} is not a valid tag", _TAG_HINT
    return None


# -- [publish] -----------------------------------------------------------------------------------


def publish(v: Validator, table: Mapping[str, Any]) -> PublishSection:
    where = ["publish"]
    v.unknown_keys(table, _PUBLISH_KEYS, where)
    sign_key = v.typed(table, where, "sign_key", str)
    sbom = v.typed(table, where, "sbom", bool)
    provenance = v.typed(table, where, "provenance", bool)
    sbom_format = v.choice(table, where, "sbom_format", SBOM_FORMATS, "spdx")
    value = table.get("registries", [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        v.problem(
            ["publish", "registries"],
            "must be a list of registry addresses",
            'e.g. registries = ["registry.example:5000/team"]',
        )
        value = []
    return PublishSection(
        registries=tuple(value),
        sign_key=sign_key or None,
        sbom=bool(sbom),
        provenance=provenance is not False,
        sbom_format=sbom_format,
    )


# -- [build] -------------------------------------------------------------------------------------


def build(v: Validator, table: Mapping[str, Any]) -> BuildSection:
    v.unknown_keys(table, ("platforms",), ["build"])
    return BuildSection(platforms=v.platforms(table, ["build"]))


# -- [cache] and an image's cache --------------------------------------------------------------

_CACHE_KEYS = ("registry", "mode")
_CACHE_HINT = 'write registry = "HOST[:PORT]/PREFIX", e.g. "127.0.0.1:5000/cache"'


def cache(
    v: Validator, table: Any, where: list[str], base: CacheSettings | None
) -> CacheSettings | None:
    """`[cache]` (base None), or an image's `cache` over it: a table, or false for none."""
    if table is False:
        return None
    if not isinstance(table, dict):
        v.problem(where, f"must be a table or false, not {type_name(table)}", _CACHE_HINT)
        return base
    v.unknown_keys(table, _CACHE_KEYS, where)
    registry = v.typed(table, where, "registry", str)
    if registry is not None and not valid_registry_prefix(registry):
        v.problem([*where, "registry"], f"{registry!r} is not HOST[:PORT]/PREFIX", _CACHE_HINT)
        registry = None
    mode = v.choice(table, where, "mode", CACHE_MODES, base.mode if base else "readwrite")
    registry = registry or (base.registry if base else None)
    if registry is None:
        if table:
            v.problem([*where, "registry"], "is required", _CACHE_HINT)
        return None
    return CacheSettings(registry=registry, mode=mode)


def valid_registry_prefix(value: str) -> bool:
    """`HOST[:PORT]/PREFIX`: a registry host and a repository path under which to keep images."""
    host, _, prefix = value.partition("/")
    names_host = "." in host or ":" in host or host == "localhost"  # as Docker tells a host
    return bool(prefix) and names_host and _valid_transfer_registry(value)


# -- [templates] ---------------------------------------------------------------------------------

_TEMPLATES_HINT = 'write [templates] paths = ["team-templates"] (relative to the config)'


def templates(v: Validator, table: Mapping[str, Any]) -> TemplatesSection:
    for key in sorted(set(table) - {"paths"}):
        v.problem(["templates", key], "unknown key", _TEMPLATES_HINT)
    paths = table.get("paths", [])
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        v.problem(["templates", "paths"], "must be a list of folders", _TEMPLATES_HINT)
        return TemplatesSection()
    if v.check_paths:
        for raw in paths:
            if missing := missing_template_folder(v.path.parent, raw):
                v.problem(["templates", "paths"], *missing)
    return TemplatesSection(paths=tuple(paths))


def template_folder(root: Path, raw: str) -> Path:
    """A `[templates] paths` entry as an absolute path: relative ones are to the config file."""
    return (root / Path(raw).expanduser()).resolve()


def missing_template_folder(root: Path, raw: str) -> tuple[str, str] | None:
    """The problem (message, hint) when the template folder `raw` is not a folder, or None."""
    path = template_folder(root, raw)
    if path.is_dir():
        return None
    return f"folder {raw!r} does not exist ({path})", "paths are relative to the config file"


# -- [lint] --------------------------------------------------------------------------------------


def lint(v: Validator, table: Mapping[str, Any]) -> PartialSettings:
    def report(error: UsageError) -> None:
        v.problems.append(
            ConfigError(error.message, path=error.path, line=error.line, hint=error.hint)
        )

    return toml_lint_settings(table, v.path, lambda key: v.locator.line(("lint", *key)), report)
