"""Run the rules over Dockerfiles: the library API under `imgbuild lint`.

`Linter(settings).lint_text(...)` lints one text; `lint_paths(...)` lints files into a
`LintReport`. Ignores, severity overrides and pragmas are applied to the rules' findings
afterwards, so rules never know about them. Nothing that a file contains can make this raise: a
file Docker cannot read is one DL1000 finding (with what BuildKit's checks still report before
the error), and a rule that fails is one internal finding (INTERNAL_CODE) on that file; the
other rules and files are still linted. BuildKit's check directives (`# check=skip=...`, the
BUILDKIT_DOCKERFILE_CHECK build arg) apply to the rules that mirror its checks, here too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from builder.dockerfile import Dockerfile, parse_dockerfile
from builder.errors import ImgbuildError
from builder.lint.model import (
    BuildkitCheck,
    CheckPhase,
    Finding,
    LintContext,
    Rule,
    RuleHit,
    Severity,
)
from builder.lint.onbuild import onbuild_view
from builder.lint.pragmas import read_pragmas
from builder.lint.registry import all_codes, load_rule, needs_words, reports_on
from builder.lint.settings import LintSettings

if TYPE_CHECKING:
    from builder.dockerignore import DockerIgnore
    from builder.lint.checkdirectives import Checks
    from builder.lint.shellcheck import ShellCheck

PARSE_ERROR_CODE = "DL1000"
INTERNAL_CODE = "IB000"
INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip


class LintTarget(NamedTuple):  # NamedTuples, as in builder.lint.model
    """Something to lint: a file on disk, or text rendered from a template."""

    display: str  # the name findings are reported under
    path: Path | None = None  # the file to read (and to fix), if any
    text: str | None = None  # the text to lint instead of reading `path`
    context_dir: Path | None = None  # the build context, for .dockerignore checks
    render: Callable[[], str] | None = None  # makes the text (a template); may raise
    # BUILDKIT_DOCKERFILE_CHECK among the image's build args (imgbuild.toml), if set
    check_option: str | None = None


class FileReport(NamedTuple):
    target: LintTarget
    text: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # the file could not be read


class LintReport(NamedTuple):
    files: tuple[FileReport, ...]

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    @property
    def unreadable(self) -> list[FileReport]:
        return [report for report in self.files if report.error is not None]

    def fails(self, threshold: Severity | None) -> bool:
        """Whether any finding is at or above `threshold` (None: nothing fails)."""
        if threshold is None:
            return False
        return any(finding.severity.rank >= threshold.rank for finding in self.findings)


class _Text(NamedTuple):
    text: str
    context: LintContext


class Linter:
    """The rules that run under some settings, loaded once for many files."""

    def __init__(
        self,
        settings: LintSettings,
        base_context: LintContext | None = None,
        rules: Sequence[Rule] | None = None,  # default: every rule of the table
        shellcheck: ShellCheck | None = None,  # the program for SC findings; None: none
    ) -> None:
        self.settings = settings
        self.shellcheck = shellcheck
        self.base_context = base_context or LintContext(
            trusted_registries=settings.trusted_registries,
            label_schema=settings.label_schema,
            strict_labels=settings.strict_labels,
        )
        if settings.buildkit_check is not None:
            self.base_context = self.base_context._replace(check_option=settings.buildkit_check)
        # Rules given run on every file; the table's are loaded on the first file with an
        # instruction they report on (`_rules_for`), so one small file imports few of them.
        self._given = None if rules is None else [r for r in map(self._weighed, rules) if r]
        self._codes = [code for code in all_codes() if code not in settings.ignored]
        self._loaded: dict[str, tuple[Rule, Severity] | None] = {}

    def _weighed(self, rule: Rule) -> tuple[Rule, Severity] | None:
        """The rule with its severity under the settings; None when they turn it off."""
        if rule.code in self.settings.ignored:
            return None
        severity = self.settings.severity.get(rule.code, rule.severity)
        return None if severity is Severity.IGNORE else (rule, severity)

    def _rules_for(self, dockerfile: Dockerfile) -> list[tuple[Rule, Severity]]:
        """The rules that may report on this file: those of the table reporting on one of its
        instructions or on every file (all of them when ONBUILD may trigger any instruction),
        less those needing a word (a program's name, RULE_WORDS) the file does not hold."""
        if self._given is not None:
            return self._given
        present = {instruction.keyword for instruction in dockerfile.instructions}
        plain: str | None = None
        chosen: list[tuple[Rule, Severity]] = []
        for code in self._codes:
            wanted = reports_on(code)
            if wanted and "ONBUILD" not in present and not wanted & present:
                continue
            words = needs_words(code)
            if words:
                plain = _plain_text(dockerfile) if plain is None else plain
                if not any(word in plain for word in words):
                    continue
            if code not in self._loaded:
                self._loaded[code] = self._weighed(load_rule(code))
            weighed = self._loaded[code]
            if weighed is not None:
                chosen.append(weighed)
        return chosen

    def lint_target(self, target: LintTarget) -> FileReport:
        return self.lint_targets([target])[0]

    def lint_targets(self, targets: Sequence[LintTarget]) -> list[FileReport]:
        """Each target's report; ShellCheck runs once over the scripts of them all."""
        read = [(target, self._read(target)) for target in targets]
        texts = [
            (text.text, target.display, text.context)
            for target, text in read
            if isinstance(text, _Text)
        ]
        results = iter(self._lint_many(texts))
        return [
            FileReport(target, text.text, tuple(next(results)))
            if isinstance(text, _Text)
            else FileReport(target, "", error=text)
            for target, text in read
        ]

    def _read(self, target: LintTarget) -> _Text | str:
        """The target's text and context, or why it cannot be read."""
        text = target.text
        if target.render is not None:
            try:
                text = target.render()
            except ImgbuildError as error:
                return str(error)
        if text is None:
            assert target.path is not None
            try:
                text = target.path.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                return f"cannot read: {error.strerror or error}"
        context = self.base_context._replace(
            path=target.path,
            dockerignore=_dockerignore(target.context_dir),
            check_option=(
                self.base_context.check_option
                if self.base_context.check_option is not None
                else target.check_option
            ),
        )
        return _Text(text, context)

    def lint_text(
        self, text: str, display: str = "Dockerfile", context: LintContext | None = None
    ) -> list[Finding]:
        """The findings on one Dockerfile's text, sorted by line, column and code."""
        return self._lint_many([(text, display, context or self.base_context)])[0]

    def _lint_many(self, items: Sequence[tuple[str, str, LintContext]]) -> list[list[Finding]]:
        parsed = [
            (self._parse(text, display, context.path), display, context)
            for text, display, context in items
        ]
        files = [(p.whole, display) for p, display, _ in parsed if p.whole is not None]
        if self.shellcheck is None or not any(_may_hold_scripts(d) for d, _ in files):
            return [
                self._finish(p, self._rules(p, display, context)) for p, display, context in parsed
            ]
        from builder.lint.shellscripts import start_shellcheck

        # ShellCheck's processes run while this thread runs the rules: every core stays busy.
        shellchecked = start_shellcheck(self.shellcheck, files, self.settings)
        try:
            found = [self._rules(p, display, context) for p, display, context in parsed]
        finally:
            results = iter(shellchecked())
        return [
            self._finish(p, [*findings, *next(results)] if p.whole else findings)
            for (p, _, _), findings in zip(parsed, found, strict=True)
        ]

    def _parse(self, text: str, display: str, path: Path | None) -> _Parsed:
        """The parsed file, with the DL1000 finding saying why Docker cannot read it, if so."""
        dockerfile = None
        try:
            dockerfile = parse_dockerfile(text, path)
            problem = parse_problem(dockerfile)
        except Exception as error:  # the parser must never take the linter down
            problem = (1, f"cannot parse: {type(error).__name__}: {error}")
        if problem is None:
            return _Parsed(dockerfile)
        if "\x00" in text:
            dockerfile = None  # not text: nothing else to say about it
        return _Parsed(dockerfile, _parse_error(display, *problem))

    def _rules(self, parsed: _Parsed, display: str, context: LintContext) -> list[Finding]:
        """The rules' findings on a parsed file. On a file that does not parse: its DL1000, and
        what BuildKit still reports before giving up on it."""
        if parsed.problem is None:
            assert parsed.dockerfile is not None
            return self._run(parsed.dockerfile, display, context)
        findings = [] if PARSE_ERROR_CODE in self.settings.ignored else [parsed.problem]
        if parsed.dockerfile is not None:
            findings += self._run(parsed.dockerfile, display, context, parsed.problem.line)
        return findings

    def _finish(self, parsed: _Parsed, findings: list[Finding]) -> list[Finding]:
        """Pragmas applied (not to DL1000), duplicates dropped, sorted."""
        if parsed.dockerfile is not None and not self.settings.disable_ignore_pragma:
            pragmas = read_pragmas(parsed.dockerfile)
            findings = [
                f
                for f in findings
                if f.code == PARSE_ERROR_CODE or not pragmas.suppresses(f.code, f.line)
            ]
        unique = {(f.line, f.column, f.code, f.message): f for f in findings}
        return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code))

    def _run(
        self,
        dockerfile: Dockerfile,
        display: str,
        context: LintContext,
        broken_at: int | None = None,  # the line of the parse error, if any
    ) -> list[Finding]:
        findings: list[Finding] = []
        rules = self._rules_for(dockerfile)
        if broken_at is not None:
            rules = [(r, s) for r, s in rules if r.buildkit and r.buildkit.phase in _PAST_ERRORS]
        view = None
        if any(rule.applies_in_onbuild for rule, _ in rules):
            try:
                view = onbuild_view(dockerfile)
            except Exception:  # without the view, ONBUILD triggers are simply not checked
                view = None
        checks = _checks(dockerfile, context, rules)
        if checks and checks.problem and PARSE_ERROR_CODE not in self.settings.ignored:
            findings.append(_parse_error(display, *checks.problem))  # the build fails there
        for rule, severity in rules:
            try:
                hits = list(rule.check(dockerfile, context))
                if view is not None and rule.applies_in_onbuild:
                    hits += [
                        hit._replace(fix=view.restore(hit.fix)) if hit.fix else hit
                        for hit in rule.check(view.dockerfile, context)
                    ]
            except Exception as error:  # one failing rule must not hide the others' findings
                findings.append(_internal(display, rule.code, error))
                continue
            if rule.buildkit is not None:
                hits = _as_buildkit_reports(rule.buildkit, hits, checks, broken_at)
                severity = Severity.ERROR if checks and checks.options.error else severity
            findings.extend(_finding(display, rule, severity, hit) for hit in hits)
        return findings


class _Parsed(NamedTuple):  # not a dataclass: one less to define at every lint's start
    dockerfile: Dockerfile | None  # None: nothing a rule could read
    problem: Finding | None = None  # the DL1000 finding, when Docker cannot read it

    @property
    def whole(self) -> Dockerfile | None:
        """The file, when it parses without a problem."""
        return self.dockerfile if self.problem is None else None


# The BuildKit checks that still report on a file that does not parse.
_PAST_ERRORS = frozenset({CheckPhase.PARSER, CheckPhase.INSTRUCTIONS})


def _checks(
    dockerfile: Dockerfile, context: LintContext, rules: Sequence[tuple[Rule, Severity]]
) -> Checks | None:
    """The file's BuildKit check directives, when a BuildKit check runs and there may be any."""
    if not any(rule.buildkit for rule, _ in rules):
        return None
    if context.check_option is None and "check" not in dockerfile.text.lower():
        return None  # most files: no need for the directives' reader
    from builder.lint.checkdirectives import read_checks

    return read_checks(dockerfile, context.check_option)


def _as_buildkit_reports(
    check: BuildkitCheck, hits: list[RuleHit], checks: Checks | None, broken_at: int | None
) -> list[RuleHit]:
    """The hits BuildKit would report under the file's check directives (none when its top
    directive is refused), and before a parse error for a check made while reading."""
    if checks is not None and checks.problem is not None:
        return []
    kept = hits
    if checks is not None:
        kept = [hit for hit in hits if checks.reports(check, hit.origin or hit.line)]
    if broken_at is not None and check.phase is CheckPhase.INSTRUCTIONS:
        kept = [hit for hit in kept if hit.line < broken_at]
    return kept


def _parse_error(display: str, line: int, message: str) -> Finding:
    return Finding(display, line, 1, PARSE_ERROR_CODE, Severity.ERROR, message)


def _plain_text(dockerfile: Dockerfile) -> str:
    """The file's text and its instructions' arguments (as the parser joined them, and JSON
    arrays decoded), without line continuations, quotes, backslashes and backticks: a program
    name a shell reads from any of them is in it whole."""
    parts = [dockerfile.text]
    for instruction in dockerfile.instructions:
        parts.append(instruction.arguments)
        if instruction.arguments.lstrip().startswith("["):
            from builder.lint.runscript import exec_form

            parts.extend(exec_form(instruction.arguments) or ())
    text = "\n".join(parts)
    for mark in ("\\\r\n", "\\\n", "`\r\n", "`\n", "\\", "`", "'", '"'):
        text = text.replace(mark, "")
    return text


def _may_hold_scripts(dockerfile: Dockerfile) -> bool:
    """Whether ShellCheck may have a script to check here: only RUN (or ONBUILD RUN) holds one.
    Without one, no thread starts and `shellscripts` is not imported."""
    return any(i.keyword in ("RUN", "ONBUILD") for i in dockerfile.instructions)


def parse_problem(dockerfile: Dockerfile) -> tuple[int, str] | None:
    """(line, message) when the file is not a Dockerfile Docker could read, else None."""
    if "\x00" in dockerfile.text:
        return 1, "not a text file (it contains NUL bytes)"
    lines = dockerfile.text.splitlines()
    for instruction in dockerfile.instructions:
        if instruction.keyword in INSTRUCTIONS or _continues(lines, instruction.line, dockerfile):
            continue
        word = instruction.written_keyword or instruction.keyword
        return instruction.line, f"unexpected {word!r}: expecting an instruction"
    return None


def _continues(lines: list[str], line: int, dockerfile: Dockerfile) -> bool:
    """Whether `line` continues an earlier instruction across blank or comment lines, which
    Docker accepts and dockerfile-parse splits into a bogus instruction."""
    index = line - 2
    while index >= 0 and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
        index -= 1
    return index >= 0 and lines[index].rstrip().endswith(dockerfile.escape)


def lint_paths(
    targets: Iterable[LintTarget],
    settings: LintSettings,
    base_context: LintContext | None = None,
) -> LintReport:
    linter = Linter(settings, base_context)
    return LintReport(tuple(linter.lint_targets(list(targets))))


def lint_files(paths: Sequence[Path], settings: LintSettings | None = None) -> LintReport:
    """Lint files on disk, each reported under its path as given."""
    targets = [LintTarget(str(path), path, context_dir=path.parent) for path in paths]
    return lint_paths(targets, settings or LintSettings())


def _finding(display: str, rule: Rule, severity: Severity, hit: RuleHit) -> Finding:
    return Finding(
        path=display,
        line=hit.line,
        column=hit.column,
        code=rule.code,
        severity=severity,
        message=hit.message or rule.summary,
        fix=hit.fix,
    )


def _internal(display: str, code: str, error: Exception) -> Finding:
    return Finding(
        path=display,
        line=1,
        column=1,
        code=INTERNAL_CODE,
        severity=Severity.ERROR,
        message=f"rule {code} failed on this file ({type(error).__name__}: {error}); "
        "please report it",
    )


def _dockerignore(context_dir: Path | None) -> Callable[[], DockerIgnore] | None:
    """The context's .dockerignore, read on first use (few files have a COPY that needs it)."""
    if context_dir is None:
        return None

    @functools.cache
    def read() -> DockerIgnore:
        from builder.dockerignore import DockerIgnore

        return DockerIgnore.for_context(context_dir)

    return read
