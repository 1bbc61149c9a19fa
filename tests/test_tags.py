"""Tag rules: git states and versions -> tags; git state read from a real repository; labels."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.config import TagRules, load_config
from builder.errors import ConfigError, UsageError
from builder.gitinfo import GitState, browsable_url, read_git_state
from builder.tags import (
    TagKind,
    compute_tags,
    image_tags,
    image_version,
    oci_labels,
    parse_version,
    tag_rules,
)

SHA = "0123456789abcdef0123456789abcdef01234567"
WHEN = datetime(2024, 5, 17, 12, 30, 45, tzinfo=UTC)


def state(
    *, dirty: bool = False, branch: str | None = "main", tags: tuple[str, ...] = ()
) -> GitState:
    return GitState(SHA, dirty, branch, tags, WHEN, "https://example.test/acme/shop")


def names(
    git_state: GitState | None,
    image: str = "api",
    explicit: str | None = None,
    rules: TagRules | None = None,
) -> list[str]:
    version = image_version(image, git_state, explicit)
    return [tag.name for tag in compute_tags(rules or TagRules(), git_state, version)]


@pytest.mark.parametrize(
    ("git_state", "explicit", "expected"),
    [
        # no version: the sha and the branch
        (state(), None, ["0123456", "main"]),
        (state(dirty=True), None, ["0123456-dirty", "main"]),
        (state(branch="feature/Login+SSO"), None, ["0123456", "feature-Login-SSO"]),
        (state(branch=None), None, ["0123456"]),
        # a release from a git tag on HEAD: version, sha, minor, major, latest, branch
        (state(tags=("v1.2.3",)), None, ["1.2.3", "0123456", "1.2", "1", "latest", "main"]),
        (state(branch=None, tags=("1.2.3",)), None, ["1.2.3", "0123456", "1.2", "1", "latest"]),
        # a pre-release only gets its own tag: never 1, 1.3 or latest
        (state(branch=None, tags=("v1.3.0-rc.1",)), None, ["1.3.0-rc.1", "0123456"]),
        # --version wins over the git tag
        (state(branch=None, tags=("v1.2.3",)), "2.0.0", ["2.0.0", "0123456", "2.0", "2", "latest"]),
        (state(branch=None), "v2.1.0-beta.2", ["2.1.0-beta.2", "0123456"]),
        # several version tags on HEAD: the highest wins, a release over its pre-release
        (
            state(branch=None, tags=("v1.2.3", "v1.2.4-rc.1", "v1.2.4")),
            None,
            ["1.2.4", "0123456", "1.2", "1", "latest"],
        ),
        # monorepo: api/v2.0.0 versions api, and wins over the plain tag
        (
            state(branch=None, tags=("api/v2.0.0", "v1.0.0")),
            None,
            ["2.0.0", "0123456", "2.0", "2", "latest"],
        ),
        # build metadata is sanitized: '+' is not allowed in a tag
        (state(branch=None), "1.0.0+build.7", ["1.0.0-build.7", "0123456", "1.0", "1", "latest"]),
        # no git at all: only what --version gives
        (None, "1.2.3", ["1.2.3", "1.2", "1", "latest"]),
        (None, None, []),
    ],
)
def test_tags_for_git_state_and_version(
    git_state: GitState | None, explicit: str | None, expected: list[str]
) -> None:
    assert names(git_state, explicit=explicit) == expected


def test_monorepo_tag_versions_only_its_image() -> None:
    tagged = state(branch=None, tags=("api/v1.2.3",))
    assert names(tagged, image="api") == ["1.2.3", "0123456", "1.2", "1", "latest"]
    assert names(tagged, image="web") == ["0123456"]


def test_immutable_kinds_are_version_and_sha_only() -> None:
    tags = compute_tags(TagRules(raw=("stable",)), state(), image_version("api", state(), "1.2.3"))
    immutable = {tag.name for tag in tags if tag.immutable}
    assert immutable == {"1.2.3", "0123456"}
    assert {tag.kind for tag in tags if not tag.immutable} == {
        TagKind.MINOR,
        TagKind.MAJOR,
        TagKind.LATEST,
        TagKind.BRANCH,
        TagKind.RAW,
    }


def test_rules_switch_tags_off_and_add_raw_values() -> None:
    rules = TagRules(sha=False, branch=False, latest=False, major=False, raw=("stable",))
    assert names(state(), explicit="1.2.3", rules=rules) == ["1.2.3", "1.2", "stable"]
    assert names(state(), rules=TagRules(sha_length=10)) == ["0123456789", "main"]


def test_branch_named_like_a_computed_tag_is_not_duplicated() -> None:
    tags = compute_tags(TagRules(), state(branch="latest"), image_version("api", None, "1.0.0"))
    assert [tag.name for tag in tags].count("latest") == 1
    assert next(tag for tag in tags if tag.name == "latest").kind is TagKind.LATEST


def test_reasons_say_where_each_tag_comes_from() -> None:
    tags = {
        tag.name: tag.reason
        for tag in compute_tags(
            TagRules(), state(dirty=True), image_version("api", state(tags=("api/v1.0.0",)), None)
        )
    }
    assert tags["1.0.0"] == "git tag api/v1.0.0 on HEAD"
    assert "uncommitted changes" in tags["0123456-dirty"]
    assert tags["main"] == "branch main"


@pytest.mark.parametrize("text", ["1.2", "v1.2.3.4", "01.2.3", "1.2.3-", "latest", ""])
def test_not_semver(text: str) -> None:
    assert parse_version(text) is None


def test_bad_version_option_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not a semantic version"):
        image_version("api", None, "one.two")


def test_prerelease_precedence() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ]
    versions = [parse_version(text) for text in ordered]
    keys = [version.precedence() for version in versions if version is not None]
    assert keys == sorted(keys)


# ---------------------------------------------------------------------------------------------
# Rules from imgbuild.toml


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text("FROM scratch\n")
    path = tmp_path / "imgbuild.toml"
    path.write_text(text)
    return path


def test_image_tag_rules_override_the_global_ones(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
[tags]
branch = false
raw = ["edge"]

[images.api]
context = "api"
tag_rules = { sha = false, raw = ["nightly"] }
""",
    )
    config = load_config(path)
    rules = tag_rules(config, config.images["api"])
    assert rules == TagRules(sha=False, branch=False, raw=("nightly",))
    tags = image_tags(config, config.images["api"], state(), None)
    assert [tag.name for tag in tags] == ["nightly"]


def test_bad_tag_rule_names_file_and_line(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
[images.api]
context = "api"

[tags]
sha = "yes"
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:6: tags.sha: must be true or false"


def test_unknown_tag_rule_lists_the_known_ones(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[images.api]\ncontext = "api"\ntag_rules = { semver = true }\n')
    with pytest.raises(ConfigError, match=r"images\.api\.tag_rules\.semver: unknown tag rule"):
        load_config(path)


# ---------------------------------------------------------------------------------------------
# Git state from a real repository


def git(directory: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-05-17T12:30:45Z",
        "GIT_COMMITTER_DATE": "2024-05-17T12:30:45Z",
    }
    return subprocess.run(
        [
            "git",
            "-C",
            str(directory),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.test",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "file").write_text("one\n")
    git(tmp_path, "add", "file")
    git(tmp_path, "commit", "-q", "-m", "first")
    git(tmp_path, "remote", "add", "origin", "https://ci:s3cr3t@git.example.test/acme/shop.git")
    return tmp_path


def test_git_state_of_a_clean_tagged_commit(repo: Path) -> None:
    git(repo, "tag", "v1.2.3")
    git(repo, "tag", "api/v0.9.0")
    found = read_git_state(repo / ".")
    assert found is not None
    assert found.sha == git(repo, "rev-parse", "HEAD")
    assert (found.dirty, found.branch, found.tags) == (False, "main", ("api/v0.9.0", "v1.2.3"))
    assert found.commit_time == datetime(2024, 5, 17, 12, 30, 45, tzinfo=UTC)
    assert found.source_url == "https://git.example.test/acme/shop"


def test_git_state_dirty_and_detached(repo: Path) -> None:
    (repo / "file").write_text("two\n")
    git(repo, "checkout", "-q", "--detach")
    found = read_git_state(repo)
    assert found is not None
    assert found.dirty and found.branch is None and found.tags == ()


def test_untracked_files_do_not_make_the_tree_dirty(repo: Path) -> None:
    (repo / "new-file").write_text("x\n")
    found = read_git_state(repo)
    assert found is not None and not found.dirty


def test_no_git_state_outside_a_repository_or_before_the_first_commit(tmp_path: Path) -> None:
    assert read_git_state(tmp_path) is None
    git(tmp_path, "init", "-q", "-b", "main")
    assert read_git_state(tmp_path) is None


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:acme/shop.git", "https://github.com/acme/shop"),
        (
            "https://x-access-token:ghp_secret@github.com/acme/shop.git",
            "https://github.com/acme/shop",
        ),
        ("ssh://git@git.example.test:2222/acme/shop.git", "https://git.example.test/acme/shop"),
        ("https://git.example.test:8443/acme/shop", "https://git.example.test:8443/acme/shop"),
        ("/srv/git/shop.git", None),
    ],
)
def test_browsable_url_drops_user_and_token(remote: str, url: str | None) -> None:
    assert browsable_url(remote) == url


# ---------------------------------------------------------------------------------------------
# OCI labels


def test_oci_labels_come_from_the_commit_not_the_clock(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, '[images.api]\ncontext = "api"\n'))
    spec = config.images["api"]
    labels = oci_labels(spec, state(), image_version("api", None, "1.2.3"))
    assert labels == {
        "org.opencontainers.image.title": "api",
        "org.opencontainers.image.version": "1.2.3",
        "org.opencontainers.image.revision": SHA,
        "org.opencontainers.image.created": "2024-05-17T12:30:45Z",
        "org.opencontainers.image.source": "https://example.test/acme/shop",
    }
    assert oci_labels(spec, state(dirty=True), None)["org.opencontainers.image.version"] == (
        "0123456-dirty"
    )
    assert oci_labels(spec, None, None) == {"org.opencontainers.image.title": "api"}


def test_tags_command_prints_each_tag_and_why(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder.cli import run

    (repo / "api").mkdir()
    (repo / "api" / "Dockerfile").write_text("FROM scratch\n")
    (repo / "imgbuild.toml").write_text('[images.api]\ncontext = "api"\nrepository = "shop/api"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "config")
    git(repo, "tag", "api/v2.0.0-rc.1")
    sha = git(repo, "rev-parse", "HEAD")
    assert run(["-f", str(repo / "imgbuild.toml"), "tags"]) == 0
    assert capsys.readouterr().out == (
        "api (shop/api)\n"
        "  2.0.0-rc.1  immutable  version: git tag api/v2.0.0-rc.1 on HEAD\n"
        f"  {sha[:7]}     immutable  sha: commit {sha[:12]}\n"
        "  main        moving     branch: branch main\n"
    )
    assert run(["-f", str(repo / "imgbuild.toml"), "tags", "apx"]) == 2
    assert "no image named 'apx' in the config (did you mean 'api'?)" in capsys.readouterr().err
