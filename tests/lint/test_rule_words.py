"""Rules given only files holding one of their words (RULE_WORDS): never a finding lost.

A rule that looks for a program in RUN scripts runs only on files whose text, quotes and
backslashes aside, holds one of its words. The linter choosing rules so must find exactly what
every rule on the file finds, however the shell is made to spell the program; and a file naming
no such program does not import those rules (test_registry.py compares the two linters on
hadolint's cases and the corpus).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.lint.model import Severity
from builder.lint.registry import all_codes, load_rule, load_rules
from builder.lint.rules import RULE_MODULES, RULE_WORDS
from builder.lint.runner import Linter
from builder.lint.settings import LintSettings

from .test_startup import _modules_after


@cache
def linters() -> tuple[Linter, Linter]:
    """The linter choosing rules by the table, and one giving every rule every file."""
    off = {
        code: Severity.STYLE for code in all_codes() if load_rule(code).severity is Severity.IGNORE
    }
    settings = LintSettings(severity=off)
    return Linter(settings), Linter(settings, rules=load_rules())


def codes(text: str) -> list[str]:
    gated, every = linters()
    found = gated.lint_text(text)
    assert found == every.lint_text(text)
    return [finding.code for finding in found]


def test_words_are_of_rules_in_the_table() -> None:
    assert set(RULE_WORDS) <= set(RULE_MODULES)
    assert all(words and all(words) for words in RULE_WORDS.values())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("FROM debian:12\nRUN apt-get install foo\n", "DL3008"),
        ('FROM debian:12\nRUN ap"t-g"et install foo\n', "DL3008"),
        ("FROM debian:12\nRUN ap't'-get install foo\n", "DL3008"),
        ("FROM debian:12\nRUN apt\\-get install foo\n", "DL3008"),
        ("FROM debian:12\nRUN apt-\\\nget install foo\n", "DL3008"),
        ("# escape=`\nFROM debian:12\nRUN apt-`\nget install foo\n", "DL3008"),
        ('FROM debian:12\nRUN ["apt-get", "install", "foo"]\n', "DL3008"),
        ('FROM debian:12\nRUN ["\\u0061pt-get", "install", "foo"]\n', "DL3008"),
        ("FROM debian:12\nRUN <<EOF\napt-get install foo\nEOF\n", "DL3008"),
        ("FROM debian:12\nRUN true && `apt-get install foo`\n", "DL3008"),
        ("FROM debian:12\nONBUILD RUN apt-get install foo\n", "DL3008"),
        ("FROM debian:12\nRUN command sudo ls\n", "DL3004"),
        ("FROM debian:12\nRUN busybox wget https://example.com/x\n", "DL3047"),
        ("FROM debian:12\nRUN wget -q https://e.com/a && c'u'rl -O https://e.com/b\n", "DL4001"),
        ("FROM debian:12\nRUN cu\\\nrl -fsSL https://e.com/i.sh | sh\n", "IB012"),
        ("FROM alpine:3\nRUN apk add curl\n", "DL3018"),
        ("FROM debian:12\nRUN echo a | grep a\n", "DL4006"),
        ("FROM debian:12\nWORKDIR /srv/${UNDEFINED}\n", "IB005"),
    ],
)
def test_a_program_however_spelt_is_found(text: str, code: str) -> None:
    assert code in codes(text)


_PROGRAMS = sorted({word for words in RULE_WORDS.values() for word in words})
_PIECES = [
    *_PROGRAMS, " ", " install ", " add ", " update", " -y", " -u 123456789", " /bin/sh", "'",
    '"', "\\", "\\\n", "`", "$(", ")", "|", "&&", ";", "\n", "-", "get", "=", "1.0", "@latest",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_the_chosen_rules_find_what_every_rule_finds(pieces: list[str]) -> None:
    codes("FROM debian:12\nRUN " + "".join(pieces) + "\n")


def test_a_file_naming_no_such_program_does_not_import_their_rules(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "Dockerfile").write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
    modules = _modules_after(folder, "--no-shellcheck", "Dockerfile")
    assert "builder.lint.rules.dl3059" in modules  # a RUN rule without words still runs
    skipped = [f"builder.lint.rules.{RULE_MODULES[code][0]}" for code in RULE_WORDS]
    assert [module for module in skipped if module in modules] == []
    assert "builder.lint.pipes" not in modules
