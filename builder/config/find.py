"""Where imgbuild.toml is: found without importing the loader.

`imgbuild lint` of one file looks for a config on every run and usually finds none; this module
imports only pathlib, so that look costs a few stats, not the loader's import.
"""

from __future__ import annotations

from pathlib import Path

from builder.errors import ConfigError

CONFIG_NAME = "imgbuild.toml"


def nearest_config(start: Path | None = None) -> Path | None:
    """imgbuild.toml in `start` (default: the current directory) or its nearest parent."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def find_config(start: Path | None = None, explicit: str | Path | None = None) -> Path:
    """The config named with -f, or imgbuild.toml in `start` or its nearest parent."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError("config file not found", path=path, hint="check the -f/--file path")
        return path.resolve()
    found = nearest_config(start)
    if found is None:
        here = (start or Path.cwd()).resolve()
        raise ConfigError(f"no {CONFIG_NAME} in {here} or any parent", hint=_missing_hint(here))
    return found


def _missing_hint(here: Path) -> str:
    """Where Dockerfiles exist below, `imgbuild init` writes a config for them."""
    from builder.adopt.scan import has_dockerfiles

    if has_dockerfiles(here):
        return (
            "Dockerfiles are below this folder: run `imgbuild init` to write one for them, "
            "or name one with -f"
        )
    return "create one (see README.md), run `imgbuild new`, or name one with -f"
