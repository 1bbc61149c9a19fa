"""Apply the rules' Edits to a Dockerfile's text: `imgbuild lint --fix` and `--diff`.

Fixing is repeated until no finding offers an edit (or a pass changes nothing), because one fix
can make another possible. Edits that overlap one already taken in the same pass wait for the
next pass. Line endings and a missing final newline are kept as the file has them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from builder.lint.model import Edit, Finding, LintContext
from builder.lint.runner import Linter

MAX_PASSES = 10


@dataclass(frozen=True)
class FixResult:
    text: str  # the fixed text
    applied: int  # how many edits were made
    findings: tuple[Finding, ...]  # what is left on the fixed text


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, int]:
    """`text` with the edits that do not overlap an earlier one applied; (new text, count)."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    chosen: list[Edit] = []
    for edit in sorted(set(edits), key=lambda e: (e.line, e.end_line)):
        if not 1 <= edit.line <= edit.end_line <= max(len(lines), 1):
            continue
        if chosen and edit.line <= chosen[-1].end_line:
            continue
        chosen.append(edit)
    for edit in reversed(chosen):
        replacement = edit.text.replace("\r\n", "\n")
        if not replacement.endswith("\n"):
            replacement += "\n"
        if newline != "\n":
            replacement = replacement.replace("\n", newline)
        if edit.end_line == len(lines) and not lines[-1].endswith("\n"):
            replacement = replacement.removesuffix(newline)
        lines[edit.line - 1 : edit.end_line] = [replacement]
    return "".join(lines), len(chosen)


def fix_text(
    linter: Linter, text: str, display: str, context: LintContext | None = None
) -> FixResult:
    applied = 0
    findings = linter.lint_text(text, display, context)
    for _ in range(MAX_PASSES):
        edits = [finding.fix for finding in findings if finding.fix is not None]
        if not edits:
            break
        fixed, count = apply_edits(text, edits)
        if fixed == text:
            break
        text, applied = fixed, applied + count
        findings = linter.lint_text(text, display, context)
    return FixResult(text, applied, tuple(findings))


def unified_diff(before: str, after: str, display: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{display}",
            tofile=f"b/{display}",
        )
    )
