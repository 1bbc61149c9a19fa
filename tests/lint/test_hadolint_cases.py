"""hadolint's own test cases, run against every rule of our table.

Agreement must be at least 97%, and every case we disagree with must be listed, with the
reason, in hadolint_case_disagreements.toml; every listed case must really disagree, so the list
stays honest as rules change.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.lint.model import Severity
from builder.lint.registry import load_rule
from builder.lint.rules import RULE_MODULES
from builder.lint.runner import Linter
from builder.lint.settings import LintSettings, hadolint_settings

from .shared import CASES, require

DISAGREEMENTS = Path(__file__).with_name("hadolint_case_disagreements.toml")
MIN_AGREEMENT = 0.97


@dataclass(frozen=True)
class Outcome:
    case: dict[str, Any]
    found: int

    @property
    def agrees(self) -> bool:
        if self.case["expect"] == "pass":
            return self.found == 0
        count = self.case.get("count")
        return self.found == count if count else self.found > 0


def run_case(case: dict[str, Any]) -> Outcome:
    code = case["rule"]
    rule = load_rule(code)
    settings = LintSettings().merged(hadolint_settings(case["config"], CASES))
    if rule.severity is Severity.IGNORE:  # hadolint's specs test rules that are off by default
        settings = LintSettings(**{**settings.__dict__, "severity": {code: Severity.STYLE}})
    findings = Linter(settings, rules=[rule]).lint_text(case["lint_input"])
    return Outcome(case, sum(1 for finding in findings if finding.code == code))


def outcomes() -> list[Outcome]:
    lines = require(CASES).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [run_case(case) for case in cases if case["rule"] in RULE_MODULES]


def listed() -> dict[int, str]:
    document = tomllib.loads(DISAGREEMENTS.read_text(encoding="utf-8"))
    return {int(entry["id"]): str(entry["reason"]) for entry in document.get("disagreement", [])}


def _table(results: list[Outcome]) -> str:
    total: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    for outcome in results:
        total[outcome.case["rule"]] += 1
        agreed[outcome.case["rule"]] += outcome.agrees
    rows = [f"{code}  {agreed[code]:>3}/{total[code]:<3}" for code in sorted(total)]
    return "per rule (agreeing/cases):\n  " + "\n  ".join(rows)


def _describe(outcome: Outcome) -> str:
    case = outcome.case
    expected = case["expect"] + (f" x{case['count']}" if case.get("count") else "")
    return (
        f"  id {case['id']} {case['rule']} ({case['variant']}): expected {expected}, "
        f"found {outcome.found}; {case['it']}\n    {case['lint_input']!r}"
    )


def test_agreement_with_hadolint_cases() -> None:
    results = outcomes()
    reasons = listed()
    agreement = sum(outcome.agrees for outcome in results) / len(results)
    unlisted = [o for o in results if not o.agrees and o.case["id"] not in reasons]
    stale = sorted(set(reasons) - {o.case["id"] for o in results if not o.agrees})
    report = [
        f"agreement {agreement:.1%} over {len(results)} cases of {len(RULE_MODULES)} rules",
        _table(results),
    ]
    if unlisted:
        report.append("disagreements not listed in " + DISAGREEMENTS.name + ":")
        report.extend(_describe(outcome) for outcome in unlisted)
    if stale:
        report.append(f"listed in {DISAGREEMENTS.name} but agreeing (or not run): {stale}")
    print("\n".join(report))
    assert agreement >= MIN_AGREEMENT, "\n".join(report)
    assert not unlisted, "\n".join(report)
    assert not stale, "\n".join(report)


def test_every_listed_disagreement_has_a_reason() -> None:
    assert all(reason.strip() for reason in listed().values())
