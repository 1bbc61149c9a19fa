"""Helpers to lay out small imgbuild projects in a temporary directory."""

from __future__ import annotations

from pathlib import Path


def write_project(root: Path, config: str, files: dict[str, str]) -> Path:
    """Write imgbuild.toml and the given files under `root`; return the config path."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    config_path = root / "imgbuild.toml"
    config_path.write_text(config)
    return config_path
