"""The records every lint rule shares: severities, findings, fixes and the rule itself.

A rule is a module under `builder.lint.rules` that defines `RULE = Rule(...)`; its docstring is
the explanation shown by `imgbuild lint --explain`, under the headings "What it does", "Why",
"Example" and "Use instead". Rules know nothing about pragmas, ignores or severity overrides:
those are applied to their findings afterwards (`builder.lint.runner`).

ONBUILD: no rule handles it. A rule with `applies_in_onbuild=True` is run a second time over a
view of the file holding only the ONBUILD triggers, unwrapped (`ONBUILD RUN x` is seen as `RUN x`
on the same line; see `builder.lint.onbuild`). That view has no FROM and no stages, because the
triggers run in the build of another image. A rule that raises is reported as one internal
finding on the file; it should still never rely on that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from builder.dockerfile import Dockerfile


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"
    IGNORE = "ignore"  # only as an override: drops the rule's findings

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {
    Severity.ERROR: 4,
    Severity.WARNING: 3,
    Severity.INFO: 2,
    Severity.STYLE: 1,
    Severity.IGNORE: 0,
}


@dataclass(frozen=True)
class Edit:
    """Replace lines `line`..`end_line` (1-based, inclusive) with `text` (ends with a newline)."""

    line: int
    end_line: int
    text: str


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    fix: Edit | None = None


@dataclass(frozen=True)
class LintContext:
    """What a rule may know beyond the file: settings and, where present, the build graph."""

    path: Path | None = None
    trusted_registries: tuple[str, ...] = ()
    label_schema: Mapping[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    allowed_labels: tuple[str, ...] = ()
    # Paths excluded by the context's .dockerignore, as a predicate on context-relative paths.
    is_ignored: Callable[[str], bool] | None = None
    # repository -> tags the imgbuild graph produces for it (empty without a config).
    graph_tags: Mapping[str, frozenset[str]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)


# A check yields (instruction line, message) pairs or full Findings; the runner fills in the rest.
Check = Callable[[Dockerfile, LintContext], Iterable["RuleHit"]]


@dataclass(frozen=True)
class RuleHit:
    line: int
    message: str | None = None  # None: the rule's summary
    column: int = 1
    fix: Edit | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    check: Check
    explanation: str = ""  # the rule module's docstring
    fixable: bool = False
    applies_in_onbuild: bool = False
