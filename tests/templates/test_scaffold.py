"""`imgbuild new`: never destroys work, never writes outside DEST, and says clearly what is
wrong with an answer."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from builder.templates.record import RECORD_NAME
from tests.templates.helpers import imgbuild, tree, write_template

# A tiny team template whose file names and contents use answers.
MODULE_MANIFEST = """
description = "test"
[[questions]]
name = "module"
default = "app"
"""


def test_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "api"
    dest.mkdir()
    (dest / "Dockerfile").write_text("FROM mine\n")
    outcome = imgbuild(capsys, tmp_path, "new", "python", "api", "--no-input")
    assert outcome.code == 2
    assert outcome.err.count("\n") == 1
    assert "refusing to overwrite 1 existing file(s)" in outcome.err
    assert "Dockerfile" in outcome.err and "--force" in outcome.err
    # Nothing at all was written: not the other files, not the config.
    assert tree(tmp_path) == {"api/Dockerfile": b"FROM mine\n"}


def test_force_overwrites_and_lists_the_changed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imgbuild(capsys, tmp_path, "new", "python", "api", "--no-input").code == 0
    (tmp_path / "api" / "Dockerfile").write_text("FROM mine\n")
    outcome = imgbuild(capsys, tmp_path, "new", "python", "api", "--no-input", "--force")
    assert outcome.code == 0
    assert outcome.out.splitlines() == [
        "overwritten api/Dockerfile",
        "image already in imgbuild.toml",
    ]
    assert (tmp_path / "api" / "Dockerfile").read_text().startswith("# api: a Python web")


def test_identical_existing_files_are_no_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imgbuild(capsys, tmp_path, "new", "generic", "g", "--no-input").code == 0
    again = imgbuild(capsys, tmp_path, "new", "generic", "g", "--no-input")
    assert again.code == 0
    assert again.out == "image already in imgbuild.toml\n"


def test_missing_answer_with_no_input_names_the_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    write_template(team, "t", '[[questions]]\nname = "owner"\nhelp = "Team that owns it"\n', {})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--no-input", "--template-dir", "team")
    assert outcome.code == 2
    assert outcome.err == (
        "imgbuild: error: question 'owner' has no answer and no default (Team that owns it) "
        "(answer it with --set owner=VALUE or --answers FILE)\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("port=70000", "answer to 'port': 70000 is not a port (1-65535)"),
        ("port=http", "answer to 'port': 'http' is not a whole number"),
        ("name=My_Service", "answer to 'name': 'My_Service' is not a valid image name"),
        ("server=flask", "answer to 'server': 'flask' is not one of gunicorn, uvicorn, stdlib"),
        ("example=maybe", "answer to 'example': 'maybe' is not true or false"),
        ("module=a-b", "answer to 'module': 'a-b' does not match"),
        ("base_image=Not An Image", "is not an image reference"),
        ("prot=80", "the template has no question 'prot' (did you mean 'port'?)"),
    ],
)
def test_invalid_answers_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answer: str, message: str
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "python", "api", "--no-input", "--set", answer)
    assert outcome.code == 2
    assert message in outcome.err
    assert outcome.err.count("\n") == 1
    assert tree(tmp_path) == {}


def test_dest_name_that_is_no_image_name_needs_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "go", "My Service", "--no-input")
    assert outcome.code == 2
    assert "answer to 'name': 'My Service' is not a valid image name" in outcome.err
    fixed = imgbuild(capsys, tmp_path, "new", "go", "My Service", "--no-input", "--set", "name=svc")
    assert fixed.code == 0
    assert (tmp_path / "My Service" / "Dockerfile").is_file()


@pytest.mark.parametrize("kind", ["toml", "json"])
def test_answers_file_answers_many_and_set_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    answers = {"server": "stdlib", "port": 9000, "name": "web"}
    path = tmp_path / f"answers.{kind}"
    if kind == "json":
        path.write_text(json.dumps(answers))
    else:
        path.write_text('server = "stdlib"\nport = 9000\nname = "web"\n')
    outcome = imgbuild(
        capsys, tmp_path, "new", "python", "svc", "--no-input",
        "--answers", path.name, "--set", "port=9100",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    record = tomllib.loads((tmp_path / "svc" / RECORD_NAME).read_text())
    assert record["answers"]["server"] == "stdlib"
    assert record["answers"]["name"] == "web"
    assert record["answers"]["port"] == 9100
    assert "EXPOSE 9100" in (tmp_path / "svc" / "Dockerfile").read_text()


def test_answers_file_that_is_not_valid_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").write_text("{not json")
    outcome = imgbuild(capsys, tmp_path, "new", "python", "svc", "--answers", "a.json")
    assert outcome.code == 2
    assert outcome.err.startswith("imgbuild: error: a.json: cannot read the answers")


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("{{ module }}.py.j2", "../escaped"),
        ("{{ module }}.py.j2", "/tmp/escaped"),
        ("{{ module }}/x.j2", ".."),
        ("{{ '..' }}/escaped.j2", "app"),
        ("{{ module }}", "../../escaped"),
    ],
)
def test_nothing_is_written_outside_dest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, module: str
) -> None:
    team = tmp_path / "team"
    write_template(team, "t", MODULE_MANIFEST, {"sub/" + name: "x\n", "ok.txt": "fine\n"})
    project = tmp_path / "project"
    project.mkdir()
    outcome = imgbuild(
        capsys, project, "new", "t", "out", "--no-input",
        "--template-dir", str(team), "--set", f"module={module}",
    )  # fmt: skip
    assert outcome.code == 2
    assert "outside the destination" in outcome.err
    assert tree(project) == {}
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "escaped.py").exists()


def test_a_link_in_dest_cannot_lead_a_write_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "project" / "svc"
    dest.mkdir(parents=True)
    (dest / "Dockerfile").symlink_to(outside / "Dockerfile")
    outcome = imgbuild(capsys, tmp_path / "project", "new", "generic", "svc", "--no-input")
    assert outcome.code == 2
    assert "leads outside" in outcome.err
    assert list(outside.iterdir()) == []


def test_a_template_link_to_a_file_outside_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret\n")
    team = tmp_path / "team"
    template = write_template(team, "t", "", {"a.txt": "a\n"})
    (template / "leak.txt").symlink_to(secret)
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 2
    assert "link to a file outside the template" in outcome.err
    assert not (tmp_path / "out").exists()


def test_undefined_variable_names_template_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    write_template(team, "t", "", {"Dockerfile.j2": "FROM scratch\n\nLABEL a={{ owner }}\n"})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 2
    path = (team / "t" / "Dockerfile.j2").resolve()
    assert outcome.err.startswith(
        f"imgbuild: error: {path}:3: undefined variable: 'owner' is undefined"
    )
    assert not (tmp_path / "out").exists()


def test_sandbox_refuses_python_internals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    text = "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    write_template(team, "t", "", {"x.j2": text})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 2
    assert "x.j2:1:" in outcome.err
    assert not (tmp_path / "out").exists()


def test_one_failing_file_means_no_file_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    write_template(team, "t", "", {"a.j2": "fine\n", "z.j2": "{{ missing }}\n"})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 2
    assert not (tmp_path / "out").exists()


def test_optional_files_and_executable_bits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    manifest = '[[questions]]\nname = "extra"\ntype = "bool"\ndefault = false\n'
    template = write_template(
        team, "t", manifest, {"{% if extra %}extra.txt{% endif %}": "x\n", "run.sh": "#!/bin/sh\n"}
    )
    (template / "run.sh").chmod(0o755)
    assert imgbuild(capsys, tmp_path, "new", "t", "a", "--template-dir", "team").code == 0
    assert sorted(tree(tmp_path / "a", with_record=False)) == ["run.sh"]
    assert os.access(tmp_path / "a" / "run.sh", os.X_OK)
    args = ("new", "t", "b", "--template-dir", "team", "--set", "extra=yes")
    assert imgbuild(capsys, tmp_path, *args).code == 0
    assert sorted(tree(tmp_path / "b", with_record=False)) == ["extra.txt", "run.sh"]


def test_secret_answers_are_never_recorded_or_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team"
    manifest = '[[questions]]\nname = "token"\nsecret = true\nregex = "[a-z]+"\n'
    write_template(team, "t", manifest, {"x.txt.j2": "uses a token\n"})
    bad = imgbuild(
        capsys, tmp_path, "new", "t", "o", "--template-dir", "team", "--set", "token=S3CRET"
    )
    assert bad.code == 2
    assert "S3CRET" not in bad.err
    ok = imgbuild(capsys, tmp_path, "new", "t", "o", "--template-dir", "team", "--set", "token=abc")
    assert ok.code == 0
    record = (tmp_path / "o" / RECORD_NAME).read_text()
    assert "token" not in record and "abc" not in record


def test_new_without_dest_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new")
    assert outcome.code == 2
    assert "new needs DEST, or TEMPLATE and DEST" in outcome.err


def test_a_template_name_alone_is_read_as_a_folder_and_the_hint_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "python")
    assert outcome.code == 2
    assert outcome.err.startswith("imgbuild: error: found no project in python to propose")
    assert "(to scaffold the template python, name a folder: imgbuild new python DEST)" in (
        outcome.err
    )
    assert tree(tmp_path) == {}


def test_unknown_template_suggests_a_close_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "pyhton", "x")
    assert outcome.code == 2
    assert outcome.err == "imgbuild: error: no template called 'pyhton' (did you mean 'python'?)\n"


@pytest.mark.parametrize("site_dir", ["/etc", "../site", "a/../../b"])
def test_path_answers_cannot_leave_dest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], site_dir: str
) -> None:
    outcome = imgbuild(capsys, tmp_path, "new", "static", "s", "--set", f"site_dir={site_dir}")
    assert outcome.code == 2
    assert "is not a relative path inside the destination" in outcome.err
    assert tree(tmp_path) == {}


def test_include_cannot_reach_outside_the_template_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.txt").write_text("s3cret\n")
    team = tmp_path / "team"
    write_template(team, "t", "", {"x.j2": '{% include "../secret.txt" %}\n'})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 2
    assert "template '../secret.txt' not found" in outcome.err
    assert "s3cret" not in outcome.err
    assert not (tmp_path / "out").exists()


def test_a_template_without_a_name_question_adds_no_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(tmp_path / "team", "t", "", {"README.md": "hi\n"})
    outcome = imgbuild(capsys, tmp_path, "new", "t", "out", "--template-dir", "team")
    assert outcome.code == 0
    assert outcome.out == "created out/README.md\ncreated out/.imgbuild-answers.toml\n"
    assert not (tmp_path / "imgbuild.toml").exists()
