"""The git state tags and labels are computed from, read with the `git` command.

`git` is asked rather than `.git` parsed so that worktrees, packed refs and submodules behave as
git itself says. Outside a repository `read_git_state` returns None: tags then come only from
`--version` and raw values, and the caller says so.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from builder.errors import UsageError


@dataclass(frozen=True)
class GitState:
    sha: str  # the full commit id of HEAD
    dirty: bool  # tracked files differ from HEAD (untracked files do not count)
    branch: str | None  # None on a detached HEAD, as in most CI checkouts
    tags: tuple[str, ...]  # every git tag pointing at HEAD
    commit_time: datetime  # committer time of HEAD, in UTC
    source_url: str | None  # the origin remote as a browsable URL, without any user or token

    def short_sha(self, length: int = 7) -> str:
        return self.sha[:length]


def read_git_state(directory: Path) -> GitState | None:
    """The state of the repository containing `directory`; None when it is not in one.

    Three git calls, not one per fact: this runs on every publish, whose no-op case is timed.
    """
    status = _git(
        directory, "status", "--porcelain=v2", "--branch", "--untracked-files=no", check=False
    )
    headers = dict(
        line[2:].split(" ", 1)
        for line in status.splitlines()
        if line.startswith("# ") and " " in line[2:]
    )
    sha = headers.get("branch.oid", "")
    if not sha or sha == "(initial)":
        return None  # not a repository, or one without a commit yet
    branch = headers.get("branch.head")
    head = _git(
        directory,
        "log",
        "-1",
        "--no-show-signature",
        "--format=%ct%x00%D",
        "--decorate-refs=refs/tags/",
        "HEAD",
    )
    timestamp, _, decorations = head.partition("\0")
    tags = [item.removeprefix("tag: ") for item in decorations.split(", ") if item]
    remote = _git(directory, "config", "--get", "remote.origin.url", check=False)
    return GitState(
        sha=sha,
        dirty=any(not line.startswith("#") for line in status.splitlines()),
        branch=None if branch in (None, "(detached)") else branch,
        tags=tuple(sorted(tags)),
        commit_time=datetime.fromtimestamp(int(timestamp), tz=UTC),
        source_url=browsable_url(remote) if remote else None,
    )


def browsable_url(remote: str) -> str | None:
    """`git@host:org/repo.git` or `https://user:token@host/org/repo.git` -> `https://host/org/repo`.

    The user part is always dropped: a remote URL may carry a token, and this value ends up in an
    image label that anyone who pulls the image can read.
    """
    scp = re.match(r"^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$", remote)
    if scp and "://" not in remote:
        host, path = scp.groups()
    else:
        match = re.match(r"^[a-z+]+://(?:[^@/]*@)?([^/]+)/(.+)$", remote)
        if not match:
            return None
        host, path = match.groups()
        host = re.sub(r":\d+$", "", host) if remote.startswith(("ssh", "git")) else host
    path = re.sub(r"\.git/?$", "", path.strip("/"))
    return f"https://{host}/{path}"


def _git(directory: Path, *args: str, check: bool = True) -> str:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise UsageError(
            "git is not installed", hint="install git, or pass --version and disable sha tags"
        ) from error
    if completed.returncode != 0:
        if not check:
            return ""
        raise UsageError(f"git {' '.join(args)} failed: {completed.stderr.strip()}", path=directory)
    return completed.stdout.strip()
