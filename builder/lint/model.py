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

BuildKit's checks: a rule with `buildkit=BuildkitCheck("Name")` reports exactly what
`docker build --check` reports for that check, on the same line
(`tests/lint/test_buildkit_checks.py` holds it to BuildKit's own test cases). The runner
applies BuildKit's check directives to its findings (`builder.lint.checkdirectives`) and keeps
the findings BuildKit still makes on a file that does not parse (`CheckPhase`).

The records are NamedTuples, not dataclasses: as immutable, and much cheaper to define, which
every lint pays at start-up (an editor linting one changed file pays it every time).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from builder.dockerfile import Dockerfile

if TYPE_CHECKING:
    from builder.dockerignore import DockerIgnore


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


class Edit(NamedTuple):
    """Replace lines `line`..`end_line` (1-based, inclusive) with `text` (ends with a newline)."""

    line: int
    end_line: int
    text: str


class Finding(NamedTuple):
    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    fix: Edit | None = None


NOTHING: Mapping[str, Any] = MappingProxyType({})  # an empty mapping no one can change


class LintContext(NamedTuple):
    """What a rule may know beyond the file: settings and, where present, the build graph."""

    path: Path | None = None
    trusted_registries: tuple[str, ...] = ()
    label_schema: Mapping[str, str] = NOTHING
    strict_labels: bool = False
    allowed_labels: tuple[str, ...] = ()
    # The build context's .dockerignore, read when first asked for (None: no context).
    dockerignore: Callable[[], DockerIgnore] | None = None
    # repository -> tags the imgbuild graph produces for it (empty without a config).
    graph_tags: Mapping[str, frozenset[str]] = NOTHING
    extra: Mapping[str, Any] = NOTHING
    # BUILDKIT_DOCKERFILE_CHECK's value, replacing the file's `# check=` (read by the runner)
    check_option: str | None = None


# A check yields (instruction line, message) pairs or full Findings; the runner fills in the rest.
Check = Callable[[Dockerfile, LintContext], Iterable["RuleHit"]]


class RuleHit(NamedTuple):
    line: int
    message: str | None = None  # None: the rule's summary
    column: int = 1
    fix: Edit | None = None
    # The line of the instruction the finding comes from, when it is reported on another one
    # (BuildKit reads that instruction's `# check=` comments).
    origin: int | None = None


class CheckPhase(Enum):
    """When BuildKit runs a check, which decides what it still reports past a parse error."""

    PARSER = "parser"  # while splitting lines: on the whole file, parse error or not
    INSTRUCTIONS = "instructions"  # while reading instructions: on those before a parse error
    BUILD = "build"  # while building stages: nothing on a file that does not parse


class BuildkitCheck(NamedTuple):
    name: str  # as BuildKit names it: StageNameCasing, UndefinedVar, ...
    phase: CheckPhase = CheckPhase.BUILD
    # Whether a `# check=skip=...` comment above the reporting instruction turns it off there
    # (BuildKit runs some checks on the file as a whole, where only the top directive counts).
    per_instruction: bool = True

    @property
    def url(self) -> str:
        """Docker's page for the check (`JSONArgsRecommended` -> `.../json-args-recommended/`)."""
        slug = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", self.name)
        return f"https://docs.docker.com/go/dockerfile/rule/{slug.lower()}/"


class Rule(NamedTuple):
    code: str
    severity: Severity
    summary: str
    check: Check
    explanation: str = ""  # the rule module's docstring
    fixable: bool = False
    applies_in_onbuild: bool = False
    buildkit: BuildkitCheck | None = None  # the BuildKit check it mirrors exactly, if any
