"""Lint settings: `.hadolint.yaml`, `[lint]` in imgbuild.toml and the command line, merged.

Later sources win key by key (hadolint's order: config file, then command line), except the
ignored codes, which every source adds to, as hadolint merges `ignored:` with `--ignore`. Every
problem is a `UsageError` naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

from builder.errors import UsageError
from builder.lint.model import NOTHING, Severity

HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
CODE_RE = re.compile(r"^[A-Z]{2,}[0-9]{3,4}$")
# hadolint's thresholds, plus "none" (never fail)
THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")
LABEL_TYPES = ("text", "url", "spdx", "hash", "rfc3339", "semver", "email")


@dataclass(frozen=True)
class LintSettings:
    ignored: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    failure_threshold: Severity | None = Severity.INFO  # None: never fail
    trusted_registries: tuple[str, ...] = ()
    label_schema: Mapping[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    disable_ignore_pragma: bool = False
    no_fail: bool = False
    shellcheck: bool = True  # run ShellCheck over RUN scripts (when it is installed)
    # BUILDKIT_DOCKERFILE_CHECK for every file, over `# check=` and the images' build args
    buildkit_check: str | None = None

    def merged(self, other: PartialSettings) -> LintSettings:
        """These settings with `other` over them (ignored codes and severities are added)."""
        changes: dict[str, Any] = {
            "ignored": self.ignored | other.ignored,
            "severity": {**self.severity, **other.severity},
        }
        if other.failure_threshold is not None:
            never = other.failure_threshold == NEVER
            changes["failure_threshold"] = None if never else other.failure_threshold
        for name in _REPLACED:
            value = getattr(other, name)
            if value is not None:
                changes[name] = value
        return replace(self, **changes)


# `failure_threshold = "none"`: never fail (LintSettings says it with None, which a partial
# source uses for "not set").
NEVER: Literal["none"] = "none"
_REPLACED = (
    "trusted_registries",
    "label_schema",
    "strict_labels",
    "disable_ignore_pragma",
    "no_fail",
    "shellcheck",
    "buildkit_check",
)


class PartialSettings(NamedTuple):  # not a dataclass: cheaper to define at every lint's start
    """The settings one source sets (.hadolint.yaml, [lint], the command line); None: unset.

    `ignored` and `severity` add to what lower sources set; the others replace it.
    """

    ignored: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = NOTHING
    failure_threshold: Severity | Literal["none"] | None = None
    trusted_registries: tuple[str, ...] | None = None
    label_schema: Mapping[str, str] | None = None
    strict_labels: bool | None = None
    disable_ignore_pragma: bool | None = None
    no_fail: bool | None = None
    shellcheck: bool | None = None
    buildkit_check: str | None = None  # the command line's only


def parse_threshold(value: str) -> Severity | Literal["none"]:
    """A failure threshold as a settings source spells it: `none` (never fail) or a severity."""
    return NEVER if value == NEVER else Severity(value)


def parse_buildkit_check(
    value: str | None, source: str, path: Path | None = None, line: int | None = None
) -> str | None:
    """A BUILDKIT_DOCKERFILE_CHECK value, checked as BuildKit reads it (`skip=A,B;error=true`)."""
    if value is None:
        return None
    from builder.lint.checkdirectives import CheckOptionError, parse_check_options

    try:
        parse_check_options(value)
    except CheckOptionError as error:
        raise UsageError(
            f"{source} {value!r}: {error}",
            path=path,
            line=line,
            hint="write it like skip=JSONArgsRecommended,StageNameCasing;error=true (or skip=all)",
        ) from error
    return value


def parse_severity_option(text: str) -> tuple[str, Severity]:
    """`--severity DL3008=error` -> ("DL3008", Severity.ERROR)."""
    code, sep, level = text.partition("=")
    code, level = code.strip(), level.strip().lower()
    if not sep or not CODE_RE.match(code) or level not in {s.value for s in Severity}:
        raise UsageError(
            f"--severity {text!r} is not CODE=LEVEL",
            hint="write it like --severity DL3008=error (levels: error, warning, info, style, "
            "ignore)",
        )
    return code, Severity(level)


# ---------------------------------------------------------------------------------------------
# .hadolint.yaml


def find_hadolint_config(start: Path) -> Path | None:
    """`.hadolint.yaml` / `.hadolint.yml` in `start` or its nearest parent."""
    here = start.resolve()
    for directory in (here, *here.parents):
        for name in HADOLINT_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


_HADOLINT_KEYS = (
    "ignored",
    "override",
    "trustedRegistries",
    "failure-threshold",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "no-fail",
    # output options of hadolint's own; accepted so existing files keep working
    "format",
    "no-color",
    "verbose",
    # imgbuild's own: false turns ShellCheck off
    "shellcheck",
)


def read_hadolint_config(path: Path) -> PartialSettings:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read the lint config: {error.strerror}", path=path) from error
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise UsageError(
            f"not valid YAML: {getattr(error, 'problem', None) or error}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
        ) from error
    return hadolint_settings(document, path, text)


def hadolint_settings(document: Any, path: Path, text: str = "") -> PartialSettings:
    """The settings of a parsed `.hadolint.yaml` document."""
    if document is None:
        return PartialSettings()
    reader = _Reader(path, _yaml_locator(text))
    if not isinstance(document, dict):
        raise reader.problem((), "must be a mapping of settings")
    reader.known_keys(document, _HADOLINT_KEYS)
    values: dict[str, Any] = {}
    if "ignored" in document:
        values["ignored"] = reader.codes(document["ignored"], ("ignored",))
    if "override" in document:
        values["severity"] = reader.override(document["override"])
    if "trustedRegistries" in document:
        values["trusted_registries"] = tuple(
            reader.strings(document["trustedRegistries"], ("trustedRegistries",))
        )
    reader.common(document, values, dashed=True)
    return PartialSettings(**values)


def _yaml_locator(text: str) -> Callable[[tuple[str, ...]], int | None]:
    """The line of a key of a YAML settings file."""
    lines = text.splitlines()

    def locate(key: tuple[str, ...]) -> int | None:
        # Good enough for flat settings files: the first line that starts with the innermost key.
        for name in reversed(key):
            pattern = re.compile(rf"^\s*-?\s*[\"']?{re.escape(name)}[\"']?\s*:")
            for number, line in enumerate(lines, start=1):
                if pattern.match(line):
                    return number
        return None

    return locate


# ---------------------------------------------------------------------------------------------
# [lint] in imgbuild.toml

_TOML_KEYS = (
    "ignore",
    "severity",
    "failure_threshold",
    "trusted_registries",
    "label_schema",
    "strict_labels",
    "disable_ignore_pragma",
    "no_fail",
    "shellcheck",
)


def toml_lint_settings(
    table: Mapping[str, Any],
    path: Path,
    locate: Callable[[tuple[str, ...]], int | None],
    report: Callable[[UsageError], None],
) -> PartialSettings:
    """The `[lint]` table of imgbuild.toml, read when the config loads.

    Every key is checked on its own and each bad one is given to `report`, so the config can
    list all its problems at once; `locate` gives the line of a key of the table.
    """
    reader = _Reader(path, locate, prefix=("lint",))
    values: dict[str, Any] = {}
    for key in table:
        try:
            reader.known_keys({key: None}, _TOML_KEYS)
            _toml_setting(reader, key, table[key], values)
        except UsageError as error:
            report(error)
    return PartialSettings(**values)


def _toml_setting(reader: _Reader, key: str, value: Any, values: dict[str, Any]) -> None:
    if key == "ignore":
        values["ignored"] = reader.codes(value, ("ignore",))
    elif key == "severity":
        if not isinstance(value, dict):
            raise reader.problem(("severity",), 'must be a table of CODE = "level"')
        values["severity"] = {
            reader.code(code, ("severity", code)): reader.level(level, ("severity", code))
            for code, level in value.items()
        }
    elif key == "trusted_registries":
        values["trusted_registries"] = tuple(reader.strings(value, ("trusted_registries",)))
    else:
        reader.common({key: value}, values, dashed=False)


class _Reader:
    """Type checks for one settings source, with the key's line in every message."""

    def __init__(
        self,
        path: Path,
        locate: Callable[[tuple[str, ...]], int | None],
        prefix: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.locate = locate
        self.prefix = prefix

    def problem(self, key: tuple[str, ...], message: str, hint: str | None = None) -> UsageError:
        dotted = ".".join((*self.prefix, *key))
        return UsageError(
            f"{dotted}: {message}" if dotted else message,
            path=self.path,
            line=self.locate(key),
            hint=hint,
        )

    def known_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                from builder.suggest import hint_for  # difflib, for a mistake only

                hint = hint_for(str(key), allowed, "known")
                raise self.problem((str(key),), "unknown setting", hint)

    def strings(self, value: Any, key: tuple[str, ...]) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.problem(key, "must be a list of strings")
        return list(value)

    def code(self, value: Any, key: tuple[str, ...]) -> str:
        if not isinstance(value, str) or not CODE_RE.match(value):
            raise self.problem(key, f"{value!r} is not a rule code", "codes look like DL3008")
        return value

    def codes(self, value: Any, key: tuple[str, ...]) -> frozenset[str]:
        return frozenset(self.code(item, key) for item in self.strings(value, key))

    def level(self, value: Any, key: tuple[str, ...]) -> Severity:
        levels = [severity.value for severity in Severity]
        if not isinstance(value, str) or value.lower() not in levels:
            raise self.problem(
                key, f"{value!r} is not a severity", f"use one of {', '.join(levels)}"
            )
        return Severity(value.lower())

    def flag(self, value: Any, key: tuple[str, ...]) -> bool:
        if not isinstance(value, bool):
            raise self.problem(key, "must be true or false")
        return value

    def override(self, value: Any) -> dict[str, Severity]:
        if not isinstance(value, dict):
            raise self.problem(("override",), "must map error/warning/info/style to code lists")
        result: dict[str, Severity] = {}
        for level, codes in value.items():
            severity = self.level(level, ("override", str(level)))
            for code in self.codes(codes or [], ("override", str(level))):
                result[code] = severity
        return result

    def common(self, table: Mapping[str, Any], values: dict[str, Any], *, dashed: bool) -> None:
        """The settings both sources spell alike, but for dashes against underscores."""

        def name(key: str) -> str:
            return key.replace("_", "-") if dashed else key

        threshold = name("failure_threshold")
        if threshold in table:
            raw = table[threshold]
            if not isinstance(raw, str) or raw.lower() not in THRESHOLDS:
                raise self.problem(
                    (threshold,),
                    f"{raw!r} is not a threshold",
                    f"use one of {', '.join(THRESHOLDS)}",
                )
            values["failure_threshold"] = parse_threshold(raw.lower())
        schema_key = name("label_schema")
        if schema_key in table:
            values["label_schema"] = self.label_schema(table[schema_key], (schema_key,))
        for key in ("strict_labels", "disable_ignore_pragma", "no_fail", "shellcheck"):
            if name(key) in table:
                values[key] = self.flag(table[name(key)], (name(key),))

    def label_schema(self, value: Any, key: tuple[str, ...]) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.problem(key, "must map label names to types")
        schema: dict[str, str] = {}
        for label, kind in value.items():
            if not isinstance(kind, str) or kind not in LABEL_TYPES:
                raise self.problem(
                    (*key, str(label)),
                    f"{kind!r} is not a label type",
                    f"use one of {', '.join(LABEL_TYPES)}",
                )
            schema[str(label)] = kind
        return schema


def resolve_settings(
    *,
    start: Path,
    hadolint_config: Path | None = None,
    toml: PartialSettings | None = None,
    command_line: PartialSettings | None = None,
) -> LintSettings:
    """Defaults < .hadolint.yaml (named, else found from `start`) < [lint] < command line.

    `toml` is `[lint]` of imgbuild.toml, read when the config loaded (`Config.lint`).
    """
    settings = LintSettings()
    hadolint_path = hadolint_config or find_hadolint_config(start)
    if hadolint_path is not None:
        settings = settings.merged(read_hadolint_config(hadolint_path))
    if toml is not None:
        settings = settings.merged(toml)
    if command_line is not None:
        settings = settings.merged(command_line)
    return settings
