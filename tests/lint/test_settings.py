"""Lint settings from .hadolint.yaml, [lint] in imgbuild.toml and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import load_config
from builder.errors import UsageError
from builder.lint.model import Severity
from builder.lint.settings import (
    PartialSettings,
    find_hadolint_config,
    parse_severity_option,
    read_hadolint_config,
    resolve_settings,
)

HADOLINT_YAML = """\
ignored:
  - DL3008
override:
  error: [DL3015]
  style:
    - DL3059
trustedRegistries: [docker.io, my-company.com:5000]
failure-threshold: warning
label-schema:
  author: text
  url: url
strict-labels: true
no-color: true
"""


def test_hadolint_yaml_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".hadolint.yaml"
    path.write_text(HADOLINT_YAML)
    settings = resolve_settings(start=tmp_path)
    assert settings.ignored == {"DL3008"}
    assert settings.severity == {"DL3015": Severity.ERROR, "DL3059": Severity.STYLE}
    assert settings.trusted_registries == ("docker.io", "my-company.com:5000")
    assert settings.failure_threshold is Severity.WARNING
    assert settings.label_schema == {"author": "text", "url": "url"}
    assert settings.strict_labels is True


def test_hadolint_yml_is_found_in_a_parent(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yml").write_text("ignored: [DL3006]\n")
    below = tmp_path / "a" / "b"
    below.mkdir(parents=True)
    assert find_hadolint_config(below) == (tmp_path / ".hadolint.yml").resolve()


def test_ignored_merge_and_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3008]\nfailure-threshold: error\n")
    toml = tmp_path / "imgbuild.toml"
    toml.write_text(
        '[images.api]\ncontext = "."\n[lint]\nignore = ["DL3009"]\nseverity = { DL3007 = "info" }\n'
    )
    lint = load_config(toml, check_paths=False).lint
    command_line = PartialSettings(
        ignored=frozenset({"DL3010"}),
        severity={"DL3007": Severity.ERROR},
        failure_threshold=Severity.STYLE,
    )
    settings = resolve_settings(start=tmp_path, toml=lint, command_line=command_line)
    assert settings.ignored == {"DL3008", "DL3009", "DL3010"}
    assert settings.severity == {"DL3007": Severity.ERROR}
    assert settings.failure_threshold is Severity.STYLE


def test_threshold_none_never_fails(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: none\n")
    assert resolve_settings(start=tmp_path).failure_threshold is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignored: DL3008\n", ".hadolint.yaml:1: ignored: must be a list of strings"),
        ("ignored: [dl3008]\n", ".hadolint.yaml:1: ignored: 'dl3008' is not a rule code"),
        ("override:\n  fatal: [DL3008]\n", ".hadolint.yaml:2: override.fatal: 'fatal' is not"),
        ("failure-threshold: high\n", ".hadolint.yaml:1: failure-threshold: 'high' is not"),
        ("strict-labels: yes please\n", ".hadolint.yaml:1: strict-labels: must be true or"),
        ("label-schema:\n  a: number\n", ".hadolint.yaml:2: label-schema.a: 'number' is not"),
        ("ignore: [DL3008]\n", ".hadolint.yaml:1: ignore: unknown setting (did you mean"),
        ("ignored: [DL3008\n", ".hadolint.yaml:2: not valid YAML"),
        ("- DL3008\n", ".hadolint.yaml: must be a mapping of settings"),
    ],
)
def test_bad_hadolint_yaml_names_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".hadolint.yaml"
    path.write_text(text)
    with pytest.raises(UsageError) as raised:
        read_hadolint_config(path)
    assert str(raised.value).startswith(f"{tmp_path}/{message}")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('ignored = ["DL3008"]', "lint.ignored: unknown setting (did you mean 'ignore'?)"),
        ('severity = { DL3008 = "loud" }', "lint.severity.DL3008: 'loud' is not a severity"),
        ('severity = ["DL3008"]', "lint.severity: must be a table"),
        ("failure_threshold = 3", "lint.failure_threshold: 3 is not a threshold"),
        ('no_fail = "yes"', "lint.no_fail: must be true or false"),
    ],
)
def test_bad_lint_table_names_the_key(tmp_path: Path, table: str, message: str) -> None:
    toml = tmp_path / "imgbuild.toml"
    toml.write_text(f'[images.api]\ncontext = "."\n\n[lint]\n{table}\n')
    with pytest.raises(UsageError) as raised:
        load_config(toml, check_paths=False)
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{toml}:5: ")


def test_severity_option() -> None:
    assert parse_severity_option("DL3008=Error") == ("DL3008", Severity.ERROR)
    with pytest.raises(UsageError, match="is not CODE=LEVEL"):
        parse_severity_option("DL3008")
    with pytest.raises(UsageError, match="is not CODE=LEVEL"):
        parse_severity_option("DL3008=loud")
