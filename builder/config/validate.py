"""The checks every section of imgbuild.toml is read with; each problem is kept, not raised.

A `Validator` collects problems (file, line of the key, what to do) so the whole file is
reported at once; the section readers (`images.py`, `sections.py`) call its typed getters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from builder.config.locator import KeyLocator
from builder.errors import ConfigError
from builder.platforms import Platform, PlatformError, parse_platform
from builder.suggest import hint_for


class Validator:
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
                self.problem([*where, key], "unknown key", hint_for(key, allowed, "known keys"))

    def typed(self, table: Mapping[str, Any], where: list[str], key: str, kind: type) -> Any:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem([*where, key], f"must be {type_name(kind())}, not {type_name(value)}")
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

    def platforms(
        self, table: Mapping[str, Any], where: list[str], key: str = "platforms"
    ) -> tuple[Platform, ...]:
        """A list of platform strings (`linux/arm64`), each checked; () when absent."""
        parsed: list[Platform] = []
        for text in self.string_list(table, where, key, default=[]):
            try:
                parsed.append(parse_platform(text))
            except PlatformError as error:
                self.problem([*where, key], error.message, error.hint)
        if key in table and not table[key] and isinstance(table[key], list):
            self.problem([*where, key], "is empty", "name at least one platform, or remove it")
        return tuple(dict.fromkeys(parsed))

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
                self.problem([*where, key, item_key], f"must be a string, not {type_name(item)}")
        return result

    def section(self, document: Mapping[str, Any], name: str) -> dict[str, Any]:
        """The top-level table `name` ({} when absent or not a table, which is a problem)."""
        value = document.get(name, {})
        if not isinstance(value, dict):
            self.problem([name], f"must be a table, not {type_name(value)}")
            return {}
        return value


def type_name(value: Any) -> str:
    names: dict[type, str] = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
