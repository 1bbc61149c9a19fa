"""BuildKit's check directives, applied to the findings of the rules that mirror its checks.

    # check=skip=StageNameCasing,FromAsCasing    at the top: those checks are off in the file
    # check=skip=all;error=true                  all off; error=true: any finding fails the build
    # check=skip=JSONArgsRecommended             above an instruction: off for that instruction

as BuildKit reads them (`linter.ParseLintOptions`, `parser.ParseDirective`): the top directive
must be among the first lines (after a `#!` line), before any other comment or blank line; the
build arg BUILDKIT_DOCKERFILE_CHECK, when given, replaces it. The comments above an instruction
(up to a blank `#` line or the previous instruction) add their first `check=` to the file's
skips, for the checks BuildKit runs on that instruction alone (`BuildkitCheck.per_instruction`);
`error=` has no effect there. Like ignore pragmas, this happens after the rules run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck

_DIRECTIVE = r"([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*"
_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


class CheckOptionError(ValueError):
    """A check directive or BUILDKIT_DOCKERFILE_CHECK BuildKit refuses (the build fails)."""


@dataclass(frozen=True)
class CheckOptions:
    skip: frozenset[str] = frozenset()
    skip_all: bool = False
    error: bool = False

    def merged(self, other: CheckOptions) -> CheckOptions:
        """With an instruction's comment over it: skips add up; `error` stays the file's."""
        return CheckOptions(self.skip | other.skip, self.skip_all or other.skip_all, self.error)


def parse_check_options(text: str) -> CheckOptions:
    """`skip=A,B;error=true` as BuildKit reads it; raises CheckOptionError where it fails."""
    text = text.strip()
    if not text:
        return CheckOptions()
    skip: frozenset[str] = frozenset()
    skip_all = error = False
    for part in text.split(";", 2):
        key, equals, value = part.partition("=")
        if not equals:
            raise CheckOptionError(f"invalid check option {part!r}")
        key, value = key.strip(), value.strip()
        if key == "skip" and value == "all":
            skip_all = True
        elif key == "skip":
            skip = frozenset(name.strip() for name in value.split(","))
        elif key == "error":
            if value not in _TRUE | _FALSE:
                raise CheckOptionError(f"invalid value {value!r} for check option {part!r}")
            error = value in _TRUE
        elif key != "experimental":  # experimental checks: imgbuild mirrors none
            raise CheckOptionError(f"invalid check option {key!r}")
    return CheckOptions(skip, skip_all, error)


@dataclass(frozen=True)
class Checks:
    """Which BuildKit checks report where in one file."""

    options: CheckOptions = CheckOptions()
    # instruction line -> the check options of the comments above it
    above: Mapping[int, CheckOptions] = field(default_factory=dict)
    problem: tuple[int, str] | None = None  # the top directive BuildKit refuses: (line, why)

    def reports(self, check: BuildkitCheck, line: int) -> bool:
        """Whether `check`, reported for the instruction starting on `line`, is on."""
        options = self.options
        if check.per_instruction and line in self.above:
            options = options.merged(self.above[line])
        return not options.skip_all and check.name not in options.skip


def read_checks(dockerfile: Dockerfile, override: str | None = None) -> Checks:
    """The file's checks, with `override` (BUILDKIT_DOCKERFILE_CHECK) over its top directive.
    An override must have been validated with `parse_check_options` already."""
    lines = dockerfile.text.splitlines()
    above = _instruction_comments(dockerfile, lines)
    if override is not None:
        return Checks(parse_check_options(override), above)
    found = _top_directive(lines)
    if found is None:
        return Checks(above=above)
    line, value = found
    try:
        return Checks(parse_check_options(value.split(" ", 1)[0]), above)
    except CheckOptionError as error:
        return Checks(above=above, problem=(line, f"failed to parse check options: {error}"))


def _top_directive(lines: list[str]) -> tuple[int, str] | None:
    """(line, value) of the `# check=` among the directives that open the file."""
    start = 1 if lines and lines[0].startswith("#!") else 0
    seen: set[str] = set()
    for index in range(start, len(lines)):
        directive = _directive(lines[index], "#")
        if directive is None or directive[0] in seen:
            return None
        seen.add(directive[0])
        if directive[0] == "check":
            return index + 1, directive[1]
    return None


def _directive(line: str, prefix: str) -> tuple[str, str] | None:
    if not line.startswith(prefix):
        return None
    match = re.fullmatch(_DIRECTIVE, line[len(prefix) :].lstrip())
    if match is None or match.group(1).lower() not in _DIRECTIVES:
        return None
    return match.group(1).lower(), match.group(2)


def _instruction_comments(dockerfile: Dockerfile, lines: list[str]) -> dict[int, CheckOptions]:
    """instruction line -> the options of the first `check=` comment just above it."""
    covered = {
        number
        for instruction in dockerfile.instructions
        for number in range(instruction.line, instruction.end_line + 1)
    }
    starts = {instruction.line for instruction in dockerfile.instructions}
    opening = _opening_directives(lines)
    found: dict[int, CheckOptions] = {}
    comments: list[str] = []
    for number, raw in enumerate(lines, start=1):
        if number in covered:
            if number in starts:
                options = _first_check(comments)
                if options is not None:
                    found[number] = options
                comments = []
            continue
        if raw.lstrip().startswith("#") and number > opening:
            text = raw[1:].strip()
            comments = [*comments, text] if text else []
    return found


def _opening_directives(lines: list[str]) -> int:
    """How many lines at the top are parser directives (which are not comments)."""
    seen: set[str] = set()
    for index, line in enumerate(lines):
        directive = _directive(line.lstrip(), "#")
        if directive is None or directive[0] in seen:
            return index
        seen.add(directive[0])
    return len(lines)


def _first_check(comments: list[str]) -> CheckOptions | None:
    for comment in comments:
        directive = _directive(comment, "")
        if directive is not None and directive[0] == "check":
            try:
                return parse_check_options(directive[1].split(" ", 1)[0])
            except CheckOptionError:
                return None
    return None
