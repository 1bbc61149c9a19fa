"""imgbuild.toml -> a typed, validated `Config`.

Every problem in the file is collected and reported at once, each with the file, the line of the
key and what to do, before any work starts. `--set` overrides are applied to the parsed document
before validation, so they are checked exactly like the file.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.errors import ConfigError
from builder.refs import is_valid_repository, is_valid_tag

CONFIG_NAME = "imgbuild.toml"
IMAGE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
BUILDERS = ("auto", "classic", "buildkit")
NETWORKS = ("none", "host", "default")
ENGINE_SCHEMES = ("unix://", "tcp://", "ssh://", "npipe://")


@dataclass(frozen=True)
class SecretSource:
    """Where a build secret's value comes from; the value itself is never stored."""

    name: str
    file: Path | None = None
    env: str | None = None


@dataclass(frozen=True)
class ImageSpec:
    """One image of the config, with every default resolved and every path absolute."""

    name: str
    context: Path
    repository: str
    dockerfile: Path | None = None  # None when the image is rendered from a template
    tags: tuple[str, ...] = ("latest",)
    args: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    target: str | None = None
    depends_on: tuple[str, ...] = ()
    template: str | None = None
    vars: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    builder: str = "auto"
    network: str = "none"
    secrets: tuple[SecretSource, ...] = ()
    tag_rules: Mapping[str, Any] | None = None
    engine: str | None = None  # the pool engine it must build on ([engines.hosts] name)

    @property
    def refs(self) -> tuple[str, ...]:
        """Every local reference the build applies: `repository:tag` for each tag."""
        return tuple(f"{self.repository}:{tag}" for tag in self.tags)


@dataclass(frozen=True)
class TlsSettings:
    """Client TLS for a tcp:// engine, as `docker --tlsverify --tlscacert ...` takes it."""

    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    verify: bool = True


@dataclass(frozen=True)
class EngineHost:
    """One engine of the pool: `[engines.hosts.NAME]` or a --engine URL."""

    name: str
    url: str
    jobs: int | None = None  # builds at once there; None: the run's -j
    tls: TlsSettings | None = None


@dataclass(frozen=True)
class EnginesConfig:
    """`[engines]`: the pool. No hosts means the one engine DOCKER_HOST names."""

    hosts: tuple[EngineHost, ...] = ()
    transfer_registry: str | None = None  # HOST:PORT/prefix images move through, if set


@dataclass(frozen=True)
class Config:
    path: Path
    images: Mapping[str, ImageSpec]
    lint: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, Any] = field(default_factory=dict)
    publish: Mapping[str, Any] = field(default_factory=dict)
    templates: Mapping[str, Any] = field(default_factory=dict)
    engines: EnginesConfig = field(default_factory=EnginesConfig)

    @property
    def root(self) -> Path:
        return self.path.parent


# ---------------------------------------------------------------------------------------------
# Finding and reading


def find_config(start: Path | None = None, explicit: str | Path | None = None) -> Path:
    """The config named with -f, or imgbuild.toml in `start` or its nearest parent."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError("config file not found", path=path, hint="check the -f/--file path")
        return path.resolve()
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"no {CONFIG_NAME} in {here} or any parent",
        hint="create one (see README.md), run `imgbuild new`, or name one with -f",
    )


def load_config(path: Path, overrides: Sequence[str] = (), *, check_paths: bool = True) -> Config:
    """Read, override and validate `path`; raise one ConfigError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the config: {error.strerror}", path=path) from error
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _decode_error_line(error)
        raise ConfigError(
            f"not valid TOML: {str(error).split(' (at line')[0]}",
            path=path,
            line=line,
            hint="fix the syntax",
        ) from error
    locator = KeyLocator(text)
    for override in overrides:
        apply_override(document, override)
    validator = _Validator(path, locator, check_paths=check_paths)
    config = validator.config(document)
    if validator.problems:
        raise ConfigProblems(validator.problems)
    assert config is not None
    return config


class ConfigProblems(ConfigError):
    """Several config problems, one line each."""

    def __init__(self, problems: Sequence[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def _decode_error_line(error: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"at line (\d+)", str(error))
    return int(match.group(1)) if match else None


# ---------------------------------------------------------------------------------------------
# --set overrides


def apply_override(document: dict[str, Any], override: str) -> None:
    """Apply `a.b.c=VALUE` to the parsed document; VALUE is read as TOML, else as a string."""
    key, sep, raw_value = override.partition("=")
    parts = [part.strip() for part in key.split(".")]
    if not sep or not all(parts):
        raise ConfigError(
            f"--set {override!r} is not KEY=VALUE",
            hint="write it like --set images.api.args.PORT=9090",
        )
    try:
        value: Any = tomllib.loads(f"v = {raw_value}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw_value
    node = document
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(
                f"--set {key}: {part!r} is not a table",
                hint="override a key inside a table, such as images.NAME.KEY",
            )
        node = child
    node[parts[-1]] = value


# ---------------------------------------------------------------------------------------------
# Locating keys in the text, for line numbers in messages


class KeyLocator:
    """Finds the line of a dotted key in TOML text (tomllib keeps no positions)."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")

    def __init__(self, text: str) -> None:
        self._entries: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = self._split(header.group(1))
                self._entries.append((table, number))
                continue
            key = self._KEY.match(line)
            if key:
                full = table + self._split(key.group(1))
                self._entries.append((full, number))
                for inline in re.finditer(r"[{,]\s*([A-Za-z0-9_\-\"']+)\s*=", line):
                    self._entries.append((full + self._split(inline.group(1)), number))

    @staticmethod
    def _split(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in dotted.split("."))

    def line(self, key_path: Sequence[str]) -> int | None:
        """The line of `key_path`, else of its nearest located parent."""
        wanted = tuple(key_path)
        while wanted:
            for path, number in self._entries:
                # A key may only appear as the prefix of a header: [images.api] for "images".
                if path[: len(wanted)] == wanted:
                    return number
            wanted = wanted[:-1]
        return None


# ---------------------------------------------------------------------------------------------
# Validation

_TOP_LEVEL = ("images", "lint", "tags", "publish", "templates", "engines")
_IMAGE_KEYS = (
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
)
_ENGINES_KEYS = ("hosts", "transfer_registry")
_HOST_KEYS = ("url", "jobs", "tls")
_TLS_KEYS = ("ca", "cert", "key", "verify")


def suggest(word: str, choices: Sequence[str]) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


class _Validator:
    def __init__(self, path: Path, locator: KeyLocator, *, check_paths: bool) -> None:
        self.path = path
        self.locator = locator
        self.check_paths = check_paths
        self.problems: list[ConfigError] = []

    def problem(self, key_path: Sequence[str], message: str, hint: str | None = None) -> None:
        key = ".".join(key_path)
        self.problems.append(
            ConfigError(
                f"{key}: {message}" if key else message,
                path=self.path,
                line=self.locator.line(key_path),
                hint=hint,
            )
        )

    def unknown_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], where: Sequence[str]
    ) -> None:
        for key in table:
            if key not in allowed:
                close = suggest(key, allowed)
                hint = f"did you mean {close!r}?" if close else f"known keys: {', '.join(allowed)}"
                self.problem([*where, key], "unknown key", hint)

    def config(self, document: Mapping[str, Any]) -> Config | None:
        self.unknown_keys(document, _TOP_LEVEL, [])
        images_table = document.get("images")
        if images_table is None:
            self.problem([], "no [images] table", "add at least one [images.NAME] with a context")
            images_table = {}
        elif not isinstance(images_table, dict):
            self.problem(["images"], "must be a table of images")
            images_table = {}
        sections: dict[str, Mapping[str, Any]] = {}
        for section in _TOP_LEVEL[1:]:
            value = document.get(section, {})
            if not isinstance(value, dict):
                self.problem([section], f"must be a table, not {_type_name(value)}")
                value = {}
            sections[section] = value
        images: dict[str, ImageSpec] = {}
        for name, table in images_table.items():
            spec = self.image(name, table)
            if spec is not None:
                images[name] = spec
        engines = self.engines(sections.pop("engines"))
        self.cross_checks(images_table, images, engines)
        return Config(path=self.path, images=MappingProxyType(images), engines=engines, **sections)

    def engines(self, table: Mapping[str, Any]) -> EnginesConfig:
        where = ["engines"]
        self.unknown_keys(table, _ENGINES_KEYS, where)
        registry = self.typed(table, where, "transfer_registry", str)
        if registry is not None and not _valid_transfer_registry(registry):
            self.problem(
                [*where, "transfer_registry"],
                f"{registry!r} is not HOST[:PORT][/PREFIX]",
                "write it like 127.0.0.1:5000/imgbuild-transfer",
            )
        hosts_table = self.typed(table, where, "hosts", dict) or {}
        hosts = []
        for name, host in hosts_table.items():
            parsed = self.engine_host(name, host)
            if parsed is not None:
                hosts.append(parsed)
        return EnginesConfig(hosts=tuple(hosts), transfer_registry=registry)

    def engine_host(self, name: str, table: Any) -> EngineHost | None:
        where = ["engines", "hosts", name]
        if not IMAGE_NAME_RE.match(name):
            self.problem(
                where, "is not a valid engine name", "use lowercase letters, digits, '.', '_', '-'"
            )
        if not isinstance(table, dict):
            self.problem(
                where,
                f"must be a table, not {_type_name(table)}",
                'write [engines.hosts.NAME] with url = "unix://..."',
            )
            return None
        before = len(self.problems)
        self.unknown_keys(table, _HOST_KEYS, where)
        url = self.typed(table, where, "url", str)
        if url is None and "url" not in table:
            self.problem(
                [*where, "url"],
                "is required",
                'add url = "unix:///var/run/docker.sock", "tcp://HOST:2376" or "ssh://..."',
            )
        elif url is not None and not url.startswith(ENGINE_SCHEMES):
            self.problem(
                [*where, "url"],
                f"{url!r} is not an engine URL",
                f"start it with one of {', '.join(ENGINE_SCHEMES)}",
            )
        jobs = self.typed(table, where, "jobs", int)
        if jobs is not None and jobs < 1:
            self.problem([*where, "jobs"], "must be at least 1")
        tls = self.tls(table, where)
        if len(self.problems) > before or url is None:
            return None
        return EngineHost(name=name, url=url, jobs=jobs, tls=tls)

    def tls(self, table: Mapping[str, Any], where: list[str]) -> TlsSettings | None:
        value = self.typed(table, where, "tls", dict)
        if value is None:
            return None
        where = [*where, "tls"]
        self.unknown_keys(value, _TLS_KEYS, where)
        paths = {
            key: self.path_key(value, where, key, required=False, directory=False)
            for key in ("ca", "cert", "key")
        }
        if (paths["cert"] is None) != (paths["key"] is None):
            self.problem(where, "cert and key go together", "set both, or neither")
        verify = self.typed(value, where, "verify", bool)
        return TlsSettings(
            ca=paths["ca"],
            cert=paths["cert"],
            key=paths["key"],
            verify=True if verify is None else verify,
        )

    def image(self, name: str, table: Any) -> ImageSpec | None:
        where = ["images", name]
        if not IMAGE_NAME_RE.match(name):
            self.problem(
                where, "is not a valid image name", "use lowercase letters, digits, '.', '_', '-'"
            )
        if not isinstance(table, dict):
            self.problem(where, f"must be a table, not {_type_name(table)}")
            return None
        before = len(self.problems)
        self.unknown_keys(table, _IMAGE_KEYS, where)
        context = self.path_key(table, where, "context", required=True, directory=True)
        template = self.typed(table, where, "template", str)
        dockerfile: Path | None = None
        if template is not None and "dockerfile" in table:
            self.problem(
                [*where, "template"],
                "an image takes either dockerfile or template, not both",
                "remove one of them",
            )
        elif template is None and context is not None:
            relative = self.typed(table, where, "dockerfile", str) or "Dockerfile"
            dockerfile = (context / relative).resolve()
            if self.check_paths and not dockerfile.is_file():
                self.problem(
                    [*where, "dockerfile" if "dockerfile" in table else "context"],
                    f"no Dockerfile at {dockerfile}",
                    "create it, or set dockerfile (relative to the context) or template",
                )
        repository = self.typed(table, where, "repository", str) or name
        if not is_valid_repository(repository):
            self.problem(
                [*where, "repository"],
                f"{repository!r} is not a valid repository name",
                "use lowercase path components such as 'shop/api'",
            )
        tags = self.string_list(table, where, "tags", default=["latest"])
        for tag in tags:
            if not is_valid_tag(tag):
                self.problem(
                    [*where, "tags"],
                    f"{tag!r} is not a valid tag",
                    "use letters, digits, '_', '.', '-' (at most 128, not starting with . or -)",
                )
        args = self.string_table(table, where, "args")
        labels = self.string_table(table, where, "labels")
        builder = self.choice(table, where, "builder", BUILDERS, "auto")
        network = self.choice(table, where, "network", NETWORKS, "none")
        variables = self.typed(table, where, "vars", dict) or {}
        if "vars" in table and template is None:
            self.problem([*where, "vars"], "vars are only used with template", "set template")
        tag_rules = self.typed(table, where, "tag_rules", dict)
        secrets = self.secrets(table, where)
        engine = self.typed(table, where, "engine", str)
        if len(self.problems) > before or context is None:
            return None
        return ImageSpec(
            name=name,
            context=context,
            dockerfile=dockerfile,
            repository=repository,
            tags=tuple(dict.fromkeys(tags)),
            args=MappingProxyType(args),
            target=self.typed(table, where, "target", str),
            depends_on=tuple(self.string_list(table, where, "depends_on", default=[])),
            template=template,
            vars=MappingProxyType(dict(variables)),
            labels=MappingProxyType(labels),
            builder=builder,
            network=network,
            secrets=secrets,
            tag_rules=MappingProxyType(tag_rules) if tag_rules is not None else None,
            engine=engine,
        )

    def typed(self, table: Mapping[str, Any], where: list[str], key: str, kind: type) -> Any:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem([*where, key], f"must be {_type_name(kind())}, not {_type_name(value)}")
            return None
        return value

    def choice(
        self,
        table: Mapping[str, Any],
        where: list[str],
        key: str,
        choices: Sequence[str],
        default: str,
    ) -> str:
        value = self.typed(table, where, key, str)
        if value is None:
            return default
        if value not in choices:
            self.problem([*where, key], f"{value!r} is not one of {', '.join(choices)}")
            return default
        return str(value)

    def path_key(
        self,
        table: Mapping[str, Any],
        where: list[str],
        key: str,
        *,
        required: bool,
        directory: bool,
    ) -> Path | None:
        if key not in table:
            if required:
                self.problem([*where, key], "is required", f'add {key} = "path/to/dir"')
            return None
        raw = self.typed(table, where, key, str)
        if raw is None:
            return None
        path = (self.path.parent / Path(raw).expanduser()).resolve()
        if self.check_paths:
            exists = path.is_dir() if directory else path.is_file()
            if not exists:
                kind = "directory" if directory else "file"
                self.problem(
                    [*where, key],
                    f"{kind} {raw!r} does not exist ({path})",
                    "paths are relative to the config file",
                )
        return path

    def string_list(
        self, table: Mapping[str, Any], where: list[str], key: str, default: list[str]
    ) -> list[str]:
        value = self.typed(table, where, key, list)
        if value is None:
            return default
        if not all(isinstance(item, str) for item in value):
            self.problem([*where, key], "must be a list of strings")
            return default
        return list(value)

    def string_table(self, table: Mapping[str, Any], where: list[str], key: str) -> dict[str, str]:
        value = self.typed(table, where, key, dict)
        if value is None:
            return {}
        result: dict[str, str] = {}
        for item_key, item in value.items():
            if isinstance(item, bool):
                result[item_key] = "true" if item else "false"
            elif isinstance(item, str | int | float):
                result[item_key] = str(item)
            else:
                self.problem([*where, key, item_key], f"must be a string, not {_type_name(item)}")
        return result

    def secrets(self, table: Mapping[str, Any], where: list[str]) -> tuple[SecretSource, ...]:
        value = self.typed(table, where, "secrets", dict)
        if value is None:
            return ()
        sources = []
        for name, source in value.items():
            key = [*where, "secrets", name]
            if (
                not isinstance(source, dict)
                or len(source) != 1
                or not (set(source) <= {"file", "env"})
            ):
                self.problem(key, 'must be { file = "PATH" } or { env = "VAR" }')
                continue
            if "file" in source:
                raw = str(source["file"])
                path = Path(raw).expanduser()
                if not path.is_absolute():
                    path = self.path.parent / path
                sources.append(SecretSource(name=name, file=path))
            else:
                sources.append(SecretSource(name=name, env=str(source["env"])))
        return tuple(sources)

    def cross_checks(
        self,
        raw: Mapping[str, Any],
        images: Mapping[str, ImageSpec],
        engines: EnginesConfig = EnginesConfig(),
    ) -> None:
        names = list(raw)
        hosts = [host.name for host in engines.hosts]
        for name, spec in images.items():
            # Without [engines.hosts], names come from --engine (e1, e2, ...): checked then.
            if spec.engine is not None and hosts and spec.engine not in hosts:
                close = suggest(spec.engine, hosts)
                self.problem(
                    ["images", name, "engine"],
                    f"names {spec.engine!r}, which is not an engine of [engines.hosts]",
                    f"did you mean {close!r}?" if close else f"engines: {', '.join(hosts)}",
                )
        for name, spec in images.items():
            for dependency in spec.depends_on:
                if dependency not in raw:
                    close = suggest(dependency, names)
                    self.problem(
                        ["images", name, "depends_on"],
                        f"names {dependency!r}, which is not an image of this config",
                        f"did you mean {close!r}?" if close else f"images: {', '.join(names)}",
                    )
                elif dependency == name:
                    self.problem(["images", name, "depends_on"], "an image cannot depend on itself")
        seen: dict[tuple[str, str], str] = {}
        for name, spec in images.items():
            for tag in spec.tags:
                owner = seen.setdefault((spec.repository, tag), name)
                if owner != name:
                    self.problem(
                        ["images", name, "tags"],
                        f"{spec.repository}:{tag} is also produced by image {owner!r}",
                        "give each image its own repository or tags",
                    )


def _valid_transfer_registry(value: str) -> bool:
    host, _, prefix = value.partition("/")
    return bool(re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?|\[[0-9a-fA-F:]+\](:\d+)?", host)) and (
        not prefix or is_valid_repository(prefix)
    )


def _type_name(value: Any) -> str:
    names: dict[type, str] = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
