"""`imgbuild lint` end to end: exact output and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from builder.cli import run

# Relative after an absolute one: DL3000 reports it, BuildKit's WorkdirRelativePath (IB019) not.
RELATIVE_WORKDIR = "FROM debian:12.5\nWORKDIR /srv\nWORKDIR app\n"
APT_NO_CLEANUP = (
    "FROM debian:12.5\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88\n"
    'CMD ["curl"]\n'
)
CLEAN = 'FROM debian:12.5\nCMD ["true"]\n'


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("IMGBUILD_"):
            monkeypatch.delenv(name)


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(RELATIVE_WORKDIR)
    assert lint(capsys) == (
        1,
        "Dockerfile:3:1: DL3000 error: Use absolute WORKDIR\n"
        " 3 | WORKDIR app\n"
        "   | ^\n"
        "\n"
        "1 problem (1 error) in 1 file\n",
        "",
    )


def test_clean_file_exits_0_silently(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(CLEAN)
    assert lint(capsys, "Dockerfile") == (0, "", "")


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    Path("api.Dockerfile").write_text(RELATIVE_WORKDIR)
    code, out, _ = lint(capsys, "--format", "json", ".")
    assert code == 1
    assert json.loads(out) == [
        {
            "file": "api.Dockerfile",
            "line": 3,
            "column": 1,
            "code": "DL3000",
            "severity": "error",
            "level": "error",
            "message": "Use absolute WORKDIR",
        }
    ]


def test_threshold_ignore_and_severity_options(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(APT_NO_CLEANUP)
    assert lint(capsys, "--failure-threshold", "warning", "--format", "json")[0] == 0
    assert lint(capsys, "--ignore", "DL3009") == (0, "", "")
    code, out, _ = lint(capsys, "--severity", "DL3009=error", "--failure-threshold", "error")
    assert code == 1
    assert "DL3009 error:" in out


def test_options_from_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("Dockerfile").write_text(APT_NO_CLEANUP)
    monkeypatch.setenv("IMGBUILD_LINT_IGNORE", "DL3009 DL3008")
    assert lint(capsys) == (0, "", "")
    monkeypatch.delenv("IMGBUILD_LINT_IGNORE")
    monkeypatch.setenv("IMGBUILD_LINT_FORMAT", "github")
    code, out, _ = lint(capsys)
    assert (code, out.split("::")[1]) == (1, "notice file=Dockerfile,line=2,col=1,title=DL3009")


def test_hadolint_yaml_ignored_merges_with_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".hadolint.yaml").write_text("ignored: [DL3000]\n")
    Path("Dockerfile").write_text(RELATIVE_WORKDIR + "RUN cd /x && make\n")
    assert lint(capsys, "--ignore", "DL3003") == (0, "", "")


def test_bad_settings_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".hadolint.yaml").write_text("failure-threshold: high\n")
    Path("Dockerfile").write_text(CLEAN)
    code, out, err = lint(capsys)
    assert (code, out) == (2, "")
    assert err == (
        "imgbuild: error: .hadolint.yaml:1: failure-threshold: 'high' is not a threshold "
        "(use one of error, warning, info, style, ignore, none)\n".replace(
            ".hadolint.yaml", str(Path(".hadolint.yaml").resolve())
        )
    )


def test_missing_path_and_bad_option_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, "nope")[0] == 2
    assert lint(capsys, "--severity", "DL3009")[0] == 2
    assert lint(capsys, "--format", "yaml")[0] == 2


def test_unreadable_file_exits_2_after_linting_the_others(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("Dockerfile").write_text(RELATIVE_WORKDIR)
    Path("Dockerfile.bad").write_text(CLEAN)
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "Dockerfile.bad":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, out, err = lint(capsys, "--format", "json", "Dockerfile.bad", "Dockerfile")
    assert code == 2
    assert [f["code"] for f in json.loads(out)] == ["DL3000"]
    assert err == "imgbuild: error: Dockerfile.bad: cannot read: Permission denied\n"


def test_unparseable_file_is_a_finding_and_others_are_linted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("Dockerfile").write_text(RELATIVE_WORKDIR)
    Path("Containerfile").write_text("this is not a Dockerfile\n")
    code, out, _ = lint(capsys, "--format", "json")
    assert code == 1
    assert [(f["file"], f["code"]) for f in json.loads(out)] == [
        ("Containerfile", "DL1000"),
        ("Dockerfile", "DL3000"),
    ]


def test_fix_rewrites_in_place_and_relints_clean(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(APT_NO_CLEANUP)
    code, out, err = lint(capsys, "--fix")
    assert (code, out) == (0, "")
    assert err == "imgbuild: fixed 1 problem(s) in 1 file\n"
    assert Path("Dockerfile").read_text() == (
        "FROM debian:12.5\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        'CMD ["curl"]\n'
    )
    assert lint(capsys) == (0, "", "")


def test_diff_prints_the_change_and_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(APT_NO_CLEANUP)
    code, out, _ = lint(capsys, "--diff")
    assert code == 1
    assert out == (
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,3 +1,4 @@\n"
        " FROM debian:12.5\n"
        "-RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88\n"
        "+RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88 \\\n"
        "+    && rm -rf /var/lib/apt/lists/*\n"
        ' CMD ["curl"]\n'
    )
    assert Path("Dockerfile").read_text() == APT_NO_CLEANUP
    Path("Dockerfile").write_text(CLEAN)
    assert lint(capsys, "--diff") == (0, "", "")


def test_list_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--list-rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"code": "DL3009", "severity": "info", "fixable": True}.items() <= next(
        row for row in rows if row["code"] == "DL3009"
    ).items()
    plain = {"code", "severity", "summary", "fixable"}
    assert all(set(row) in (plain, plain | {"buildkit_check"}) for row in rows)
    mirrors = {row["code"]: row["buildkit_check"] for row in rows if "buildkit_check" in row}
    assert mirrors["IB020"] == "MultipleInstructionsDisallowed"
    assert len(mirrors) == len(set(mirrors.values())) == 20


def test_explain_names_the_buildkit_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--explain", "IB017")
    assert code == 0
    assert out.splitlines()[1] == (
        "Reports exactly BuildKit's check JSONArgsRecommended: "
        "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/"
    )


MAINTAINER_AS = "FROM alpine:3.20 as build\nMAINTAINER me\n"


def test_buildkit_check_option_replaces_the_file_directive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("Dockerfile").write_text("# check=skip=all\n" + MAINTAINER_AS)
    code, out, _ = lint(capsys, "--format", "json", "--ignore", "DL4000")
    assert (code, out) == (0, "[]\n")
    code, out, _ = lint(
        capsys, "--format", "json", "--ignore", "DL4000", "--buildkit-check", "skip=FromAsCasing"
    )
    assert [(f["code"], f["level"]) for f in json.loads(out)] == [("IB018", "warning")]
    assert code == 1


def test_buildkit_check_option_error_true_fails_lint(capsys: pytest.CaptureFixture[str]) -> None:
    Path("Dockerfile").write_text(MAINTAINER_AS)
    code, out, _ = lint(
        capsys,
        *("--format", "json", "--ignore", "DL4000", "--failure-threshold", "error"),
        *("--buildkit-check", "skip=MaintainerDeprecated;error=true"),
    )
    assert [(f["code"], f["level"]) for f in json.loads(out)] == [("IB002", "error")]
    assert code == 1


def test_bad_buildkit_check_option_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("Dockerfile").write_text(MAINTAINER_AS)
    code, out, err = lint(capsys, "--buildkit-check", "skip")
    assert (code, out) == (2, "")
    assert err.startswith("imgbuild: error: --buildkit-check 'skip': invalid check option 'skip'")
    assert len(err.strip().splitlines()) == 1


def test_image_build_arg_sets_the_checks_of_its_dockerfile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("api").mkdir()
    Path("api/Dockerfile").write_text(MAINTAINER_AS)
    Path("imgbuild.toml").write_text(
        '[images.api]\ncontext = "api"\n'
        'args = { BUILDKIT_DOCKERFILE_CHECK = "skip=MaintainerDeprecated" }\n'
        '[lint]\nignore = ["DL4000"]\n'
    )
    code, out, _ = lint(capsys, "--format", "json")
    assert [f["code"] for f in json.loads(out)] == ["IB002"]
    Path("imgbuild.toml").write_text(
        '[images.api]\ncontext = "api"\nargs = { BUILDKIT_DOCKERFILE_CHECK = "skip" }\n'
    )
    code, out, err = lint(capsys)
    assert (code, out) == (2, "")
    assert "imgbuild.toml:3: images.api.args.BUILDKIT_DOCKERFILE_CHECK 'skip'" in err


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lint(capsys, "--explain", "dl3000")
    assert code == 0
    assert out.startswith("DL3000 (error, not fixable): Use absolute WORKDIR\n\nUse absolute")
    assert "## Use instead\n```dockerfile\nWORKDIR /usr/src/app\n```" in out
    assert lint(capsys, "--explain", "DL9999")[0] == 2


def test_config_images_are_linted_without_paths(capsys: pytest.CaptureFixture[str]) -> None:
    Path("api").mkdir()
    Path("api/Dockerfile").write_text(RELATIVE_WORKDIR)
    Path("other.Dockerfile").write_text(RELATIVE_WORKDIR)  # not an image: not linted
    Path("imgbuild.toml").write_text(
        '[images.api]\ncontext = "api"\n\n[lint]\nseverity = { DL3000 = "warning" }\n'
    )
    code, out, _ = lint(capsys, "--format", "json")
    assert code == 1
    assert [(f["file"], f["severity"]) for f in json.loads(out)] == [("api/Dockerfile", "warning")]
