"""Per-rule test helpers: run one rule over a Dockerfile text as the runner would.

`rule_lines("DL3059", text)` gives the lines the rule reports (ONBUILD triggers included for
rules that apply there); `rule_fix("DL4000", text)` applies the rule's fixes once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from builder.dockerfile import parse_dockerfile
from builder.lint.fixes import apply_edits
from builder.lint.model import LintContext, RuleHit
from builder.lint.onbuild import onbuild_view
from builder.lint.registry import load_rule


def _hits(code: str, text: str, context: Mapping[str, Any]) -> list[RuleHit]:
    rule = load_rule(code)
    dockerfile = parse_dockerfile(text)
    lint_context = LintContext(**context)
    hits = list(rule.check(dockerfile, lint_context))
    view = onbuild_view(dockerfile) if rule.applies_in_onbuild else None
    if view is not None:
        hits += [
            RuleHit(hit.line, hit.message, hit.column, hit.fix and view.restore(hit.fix))
            for hit in rule.check(view.dockerfile, lint_context)
        ]
    return sorted(hits, key=lambda hit: hit.line)


@pytest.fixture
def rule_lines() -> Callable[..., list[int]]:
    def lines(code: str, text: str, **context: Any) -> list[int]:
        return [hit.line for hit in _hits(code, text, context)]

    return lines


@pytest.fixture
def rule_messages() -> Callable[..., list[str]]:
    def messages(code: str, text: str, **context: Any) -> list[str]:
        summary = load_rule(code).summary
        return [hit.message or summary for hit in _hits(code, text, context)]

    return messages


@pytest.fixture
def rule_fix() -> Callable[..., str]:
    def fix(code: str, text: str, **context: Any) -> str:
        edits = [hit.fix for hit in _hits(code, text, context) if hit.fix is not None]
        return apply_edits(text, edits)[0]

    return fix
