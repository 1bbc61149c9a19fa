"""The shared corpus of 947 real Dockerfiles: nothing crashes, and our DL findings match
hadolint's by (file, line, code): recall and precision at least 90% over every DL rule of our
table, except the deliberate differences listed in corpus_differences.toml (each with a reason).
Files hadolint could not parse (DL1000) are left out of the comparison.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

from builder.lint.rules import RULE_MODULES
from builder.lint.runner import INTERNAL_CODE, Linter
from builder.lint.settings import LintSettings

from .shared import CORPUS_FINDINGS, SHARED, corpus_files, require

DIFFERENCES = Path(__file__).with_name("corpus_differences.toml")
MIN_RECALL = MIN_PRECISION = 0.90

Key = tuple[str, int, str]  # (file relative to ../shared/lint, line, code)


@cache
def ours() -> dict[str, list[Key]]:
    """Our findings per corpus file (every code, internal errors included)."""
    linter = Linter(LintSettings())
    result: dict[str, list[Key]] = {}
    for path in corpus_files():
        name = path.relative_to(SHARED).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        result[name] = [(name, f.line, f.code) for f in linter.lint_text(text, name)]
    return result


def theirs() -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads(require(CORPUS_FINDINGS).read_text())
    return findings


def differences() -> dict[Key, str]:
    document = tomllib.loads(DIFFERENCES.read_text(encoding="utf-8"))
    return {
        (str(entry["file"]), int(entry["line"]), str(entry["code"])): str(entry["reason"])
        for entry in document.get("difference", [])
    }


def compared_codes() -> set[str]:
    return {code for code in RULE_MODULES if code.startswith("DL") and code != "DL1000"}


def comparison() -> tuple[set[Key], set[Key], set[Key]]:
    """(hadolint's, ours, documented differences), restricted to what is compared."""
    codes = compared_codes()
    unparsed = {str(f["file"]) for f in theirs() if f["code"] == "DL1000"}
    hadolint = {
        (str(f["file"]), int(str(f["line"])), str(f["code"]))
        for f in theirs()
        if f["code"] in codes and f["file"] not in unparsed
    }
    mine = {
        key
        for name, keys in ours().items()
        if name not in unparsed
        for key in keys
        if key[2] in codes
    }
    return hadolint, mine, {key for key in differences() if key[2] in codes}


def _table(hadolint: set[Key], mine: set[Key], excluded: set[Key]) -> str:
    rows = ["code     hadolint  ours  both  recall  precision"]
    for code in sorted(compared_codes()):
        theirs_ = {k for k in hadolint - excluded if k[2] == code}
        ours_ = {k for k in mine - excluded if k[2] == code}
        both = len(theirs_ & ours_)
        recall = f"{both / len(theirs_):.0%}" if theirs_ else "-"
        precision = f"{both / len(ours_):.0%}" if ours_ else "-"
        if theirs_ or ours_:
            rows.append(
                f"{code}   {len(theirs_):>8}  {len(ours_):>4}  {both:>4}  {recall:>6}  {precision:>9}"
            )
    return "\n".join(rows)


def _examples(keys: set[Key], limit: int = 40) -> str:
    return "\n".join(f"  {file}:{line} {code}" for file, line, code in sorted(keys)[:limit])


def test_every_corpus_file_lints_without_a_crash() -> None:
    crashed = [key for keys in ours().values() for key in keys if key[2] == INTERNAL_CODE]
    assert not crashed, f"rules failed on corpus files:\n{_examples(set(crashed))}"
    assert len(ours()) == len(corpus_files()) > 900


def test_findings_agree_with_hadolint_on_the_corpus() -> None:
    hadolint, mine, excluded = comparison()
    found = len((hadolint - excluded) & (mine - excluded))
    recall = found / max(len(hadolint - excluded), 1)
    precision = found / max(len(mine - excluded), 1)
    missed = hadolint - mine - excluded
    extra = mine - hadolint - excluded
    report = (
        f"recall {recall:.1%}, precision {precision:.1%} "
        f"(hadolint {len(hadolint - excluded)}, ours {len(mine - excluded)}, both {found}; "
        f"{len(excluded)} documented differences)\n{_table(hadolint, mine, excluded)}\n"
        f"missed (hadolint only):\n{_examples(missed)}\nextra (ours only):\n{_examples(extra)}"
    )
    print(report)
    assert recall >= MIN_RECALL, report
    assert precision >= MIN_PRECISION, report


def test_documented_differences_are_real_differences() -> None:
    hadolint, mine, excluded = comparison()
    agreeing = {key for key in excluded if (key in hadolint) == (key in mine)}
    reasons = differences()
    assert all(reason.strip() for reason in reasons.values())
    assert not agreing_report(agreeing), agreing_report(agreeing)


def agreing_report(keys: set[Key]) -> str:
    if not keys:
        return ""
    return f"listed in {DIFFERENCES.name} but not a difference:\n{_examples(keys)}"


def test_counts_by_code_are_printed_for_rule_authors() -> None:
    counts = Counter(key[2] for keys in ours().values() for key in keys)
    assert sum(counts.values()) > 0
