"""The one rule table: complete, unique, documented, tested."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest

import builder.lint.rules as rules_package
from builder.lint.model import Rule
from builder.lint.registry import load_rule, module_name
from builder.lint.rules import RULE_MODULES
from builder.lint.runner import INTERNAL_CODE, PARSE_ERROR_CODE

TESTS = Path(__file__).parent / "rules"
HEADINGS = ("## What it does", "## Why", "## Example", "## Use instead")


def test_every_rule_module_is_in_the_table() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rules_package.__path__)}
    listed = {module_name(code).rsplit(".", 1)[-1] for code in RULE_MODULES}
    assert modules - listed == set(), "rule modules missing from RULE_MODULES"
    assert listed - modules == set(), "RULE_MODULES names modules that do not exist"


def test_codes_and_modules_are_unique_and_sorted() -> None:
    assert len(set(RULE_MODULES.values())) == len(RULE_MODULES)
    assert list(RULE_MODULES) == sorted(RULE_MODULES)
    assert not {INTERNAL_CODE, PARSE_ERROR_CODE} & set(RULE_MODULES)
    assert all(re.fullmatch(r"(DL|IB)\d{3,4}", code) for code in RULE_MODULES)


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
