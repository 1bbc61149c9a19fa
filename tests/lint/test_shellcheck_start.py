"""ShellCheck started, not waited for: the linter runs its rules while ShellCheck works."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.lint.shellcheck import ShellCheck


def test_shellcheck_runs_while_the_caller_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ShellCheck.start` returns with the scripts written and ShellCheck running: here a
    ShellCheck that waits for the caller to do something first (the linter runs its rules)."""
    go = tmp_path / "go"
    fake = tmp_path / "shellcheck"
    fake.write_text(
        "#!/bin/sh\n"
        'for _ in $(seq 200); do [ -e "$GO" ] && break; sleep 0.05; done\n'
        '[ -e "$GO" ] || { echo "never released" >&2; exit 3; }\n'
        'for script in "$@"; do case $script in *.sh) [ -s "$script" ] || exit 4;; esac; done\n'
        "echo '{\"comments\": []}'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("GO", str(go))
    checking = ShellCheck(str(fake)).start(["#!/bin/sh\necho a\n", "#!/bin/sh\necho b\n"])
    go.touch()
    assert checking.result() == [[], []]
