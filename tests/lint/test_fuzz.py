"""Fuzzing: thousands of generated and mutated Dockerfiles; nothing escapes the runner, and no
rule fails (a failing rule would show as an internal finding)."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.lint.fixes import fix_text
from builder.lint.model import Severity
from builder.lint.registry import all_codes, load_rule
from builder.lint.runner import INTERNAL_CODE, Linter
from builder.lint.settings import LintSettings

from .shared import CORPUS, corpus_files

KEYWORDS = [
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "from",
    "Run", "ONBUILD RUN", "ONBUILD COPY", "BOGUS",
]  # fmt: skip
FRAGMENTS = [
    " ", "  ", "\t", "\\\n", "\n", "\r\n", "'", '"', "`", "$", "${", "}", "$(", ")", "{", "[", "]",
    ",", "=", ":", "@", "/", "#", "# hadolint ignore=DL3008", "# imgbuild global ignore=", "<<EOF",
    "<<-'X'", "\nEOF\n", "EOF", "&&", "||", "|", ";", "&", ">", "<", "--from=", "--mount=type=cache,",
    "target=/var/lib/apt/lists", "--platform=", "AS ", "apt-get", " install ", " update", "-y",
    "rm -rf /var/lib/apt/lists/*", "pip install", "cd ", "sudo ", "curl", "wget", "tar -xf a.tar",
    "a.tar.gz", "latest", "debian", "scratch", "root", "0", "65536", "80/tcp", '["a", "b"]',
    '["unterminated', "\\", "\x00", "\ufeff", "é", "\u2028", "=${A:-b}", "$A", "x=1", "HEALTHCHECK",
]  # fmt: skip


@cache
def linter() -> Linter:
    every_rule_on = {
        code: Severity.STYLE for code in all_codes() if load_rule(code).severity is Severity.IGNORE
    }
    return Linter(
        LintSettings(
            severity=every_rule_on,
            label_schema={"maintainer": "email", "url": "url", "version": "semver"},
            strict_labels=True,
            trusted_registries=("docker.io",),
        )
    )


def _check(text: str) -> None:
    findings = linter().lint_text(text, "Dockerfile")
    crashes = [f.message for f in findings if f.code == INTERNAL_CODE]
    assert not crashes, f"{crashes}\non:\n{text!r}"


line = st.builds(
    lambda keyword, parts: keyword + " " + "".join(parts),
    st.sampled_from(KEYWORDS),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12),
)
dockerfiles = st.lists(line, min_size=0, max_size=12).map("\n".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles)
def test_generated_dockerfiles(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(dockerfiles)
def test_fixing_generated_dockerfiles_never_raises(text: str) -> None:
    result = fix_text(linter(), text, "Dockerfile")
    assert not [f for f in result.findings if f.code == INTERNAL_CODE]


@cache
def corpus_texts() -> list[str]:
    if not CORPUS.exists():
        return ["FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"]
    return [path.read_text(encoding="utf-8", errors="replace") for path in corpus_files()]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A corpus file with lines deleted, duplicated, swapped, cut or spliced with fragments."""
    lines = draw(st.sampled_from(corpus_texts())).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.integers(0, 4))
        if action == 0:
            del lines[index]
        elif action == 1:
            lines.insert(index, lines[index])
        elif action == 2:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == 3:
            cut = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:cut]
        else:
            lines.insert(index, draw(st.sampled_from(FRAGMENTS)))
    return "".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_corpus_files(text: str) -> None:
    _check(text)
