"""The one rule table: complete, unique, documented, tested."""

from __future__ import annotations

import json
import pkgutil
import re
from pathlib import Path

import pytest

import builder.lint.rules as rules_package
from builder.lint.model import Rule, Severity
from builder.lint.registry import all_codes, load_rule, load_rules, module_name, reports_on
from builder.lint.rules import RULE_MODULES
from builder.lint.runner import INSTRUCTIONS, INTERNAL_CODE, PARSE_ERROR_CODE, Linter
from builder.lint.settings import LintSettings

from .shared import CASES, corpus_files, require

TESTS = Path(__file__).parent / "rules"
HEADINGS = ("## What it does", "## Why", "## Example", "## Use instead")


def test_every_rule_module_is_in_the_table() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rules_package.__path__)}
    listed = {module_name(code).rsplit(".", 1)[-1] for code in RULE_MODULES}
    assert modules - listed == set(), "rule modules missing from RULE_MODULES"
    assert listed - modules == set(), "RULE_MODULES names modules that do not exist"


def test_codes_and_modules_are_unique_and_sorted() -> None:
    assert len({module for module, _ in RULE_MODULES.values()}) == len(RULE_MODULES)
    assert list(RULE_MODULES) == sorted(RULE_MODULES)
    assert not {INTERNAL_CODE, PARSE_ERROR_CODE} & set(RULE_MODULES)
    assert all(re.fullmatch(r"(DL|IB)\d{3,4}", code) for code in RULE_MODULES)
    assert all(reports_on(code) <= INSTRUCTIONS for code in RULE_MODULES)


# Every label type a schema can name, so the label rules run on the LABELs of the texts below.
_SCHEMA = {
    "org.opencontainers.image.created": "rfc3339",
    "org.opencontainers.image.licenses": "spdx",
    "org.opencontainers.image.source": "url",
    "org.opencontainers.image.url": "url",
    "org.opencontainers.image.revision": "hash",
    "org.opencontainers.image.version": "semver",
    "org.opencontainers.image.authors": "email",
    "maintainer": "email",
    "org.opencontainers.image.title": "text",
}


def test_no_rule_loses_a_finding_to_the_instructions_it_reports_on() -> None:
    """A file is given only to the rules of the table reporting on one of its instructions:
    on hadolint's cases and the shared corpus, that finds exactly what every rule on every file
    finds (rules that are off by default turned on, a label schema and registries set)."""
    lines = require(CASES).read_text(encoding="utf-8").splitlines()
    texts = [str(json.loads(line)["lint_input"]) for line in lines if line.strip()]
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in corpus_files()]
    off = {
        code: Severity.STYLE for code in all_codes() if load_rule(code).severity is Severity.IGNORE
    }
    settings = LintSettings(
        severity=off, label_schema=_SCHEMA, strict_labels=True, trusted_registries=("docker.io",)
    )
    gated, every = Linter(settings), Linter(settings, rules=load_rules())
    differing = [text for text in texts if gated.lint_text(text) != every.lint_text(text)]
    assert differing == [], f"{len(differing)} texts differ, the first:\n{differing[0]}"


@pytest.mark.parametrize("code", sorted(RULE_MODULES))
def test_rule_is_complete(code: str) -> None:
    rule = load_rule(code)
    assert isinstance(rule, Rule)
    assert rule.code == code
    assert rule.summary.strip()
    missing = [heading for heading in HEADINGS if heading not in rule.explanation]
    assert not missing, f"{code}: docstring lacks {missing}"
    assert "```dockerfile" in rule.explanation, f"{code}: no Dockerfile example"
    assert (TESTS / f"test_{code.lower()}.py").is_file(), f"{code}: no tests/lint/rules test file"
