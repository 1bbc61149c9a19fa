"""`imgbuild update`: re-render with the recorded answers; replace only untouched files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builder.templates.record import RECORD_NAME
from tests.templates.helpers import imgbuild, tree, write_template

MANIFEST = '[[questions]]\nname = "port"\ntype = "int"\ndefault = 80\nvalidate = "port"\n'


def _scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    team = tmp_path / "team"
    write_template(team, "t", MANIFEST, {
        "Dockerfile.j2": "FROM scratch\nEXPOSE {{ port }}\n",
        "notes.txt.j2": "port {{ port }}\n",
    })  # fmt: skip
    outcome = imgbuild(
        capsys, tmp_path, "new", "t", "svc", "--template-dir", "team", "--set", "port=81"
    )
    assert outcome.code == 0, outcome.err
    return team, tmp_path / "svc"


def test_update_applies_a_template_change_to_untouched_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team, svc = _scaffold(tmp_path, capsys)
    (team / "t" / "Dockerfile.j2").write_text("FROM scratch\nUSER 1\nEXPOSE {{ port }}\n")
    outcome = imgbuild(capsys, tmp_path, "update", "svc", "--template-dir", "team")
    assert outcome.code == 0, outcome.err
    assert outcome.out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,3 @@\n FROM scratch\n+USER 1\n"
        " EXPOSE 81\nupdated svc/Dockerfile\n"
    )
    assert (svc / "Dockerfile").read_text() == "FROM scratch\nUSER 1\nEXPOSE 81\n"
    # The recorded answer was reused, and the record now holds the new file's hash.
    again = imgbuild(capsys, tmp_path, "update", "svc", "--template-dir", "team")
    assert (again.code, again.out) == (0, "")


def test_update_keeps_files_the_user_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team, svc = _scaffold(tmp_path, capsys)
    (svc / "Dockerfile").write_text("FROM scratch\nEXPOSE 81\n# mine\n")
    (team / "t" / "Dockerfile.j2").write_text("FROM scratch\nUSER 1\nEXPOSE {{ port }}\n")
    (team / "t" / "notes.txt.j2").write_text("the port is {{ port }}\n")
    outcome = imgbuild(capsys, tmp_path, "update", "svc", "--template-dir", "team")
    assert outcome.code == 1
    assert "updated svc/notes.txt" in outcome.out
    assert "kept svc/Dockerfile" in outcome.out
    assert "+USER 1" in outcome.out  # the diff is shown even for the kept file
    assert outcome.err == (
        "kept 1 file(s) you changed since generation: Dockerfile (use --force to replace them)\n"
    )
    assert (svc / "Dockerfile").read_text() == "FROM scratch\nEXPOSE 81\n# mine\n"
    assert (svc / "notes.txt").read_text() == "the port is 81\n"
    # Still the user's file on the next update: its old hash was kept in the record.
    assert imgbuild(capsys, tmp_path, "update", "svc", "--template-dir", "team").code == 1
    forced = imgbuild(capsys, tmp_path, "update", "svc", "--template-dir", "team", "--force")
    assert forced.code == 0
    assert "overwritten svc/Dockerfile" in forced.out
    assert (svc / "Dockerfile").read_text() == "FROM scratch\nUSER 1\nEXPOSE 81\n"


def test_update_with_a_new_answer_and_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, svc = _scaffold(tmp_path, capsys)
    before = tree(svc)
    dry = imgbuild(capsys, tmp_path, "update", "svc", "--set", "port=90", "--dry-run")
    assert dry.code == 0
    assert "would be updated svc/Dockerfile" in dry.out and "+EXPOSE 90" in dry.out
    assert tree(svc) == before
    applied = imgbuild(capsys, tmp_path, "update", "svc", "--set", "port=90")
    assert applied.code == 0
    assert (svc / "notes.txt").read_text() == "port 90\n"
    assert tomllib.loads((svc / RECORD_NAME).read_text())["answers"]["port"] == 90


def test_update_finds_the_recorded_team_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _scaffold(tmp_path, capsys)
    record = tomllib.loads((tmp_path / "svc" / RECORD_NAME).read_text())
    assert record["source"] == str((tmp_path / "team").resolve())
    outcome = imgbuild(capsys, tmp_path, "update", "svc")  # no --template-dir
    assert (outcome.code, outcome.out) == (0, "")


def test_update_validates_new_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, svc = _scaffold(tmp_path, capsys)
    before = tree(svc)
    outcome = imgbuild(capsys, tmp_path, "update", "svc", "--set", "port=0")
    assert outcome.code == 2
    assert "answer to 'port': 0 is not a port (1-65535)" in outcome.err
    assert tree(svc) == before


def test_update_of_a_folder_not_made_by_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    outcome = imgbuild(capsys, tmp_path, "update", "plain")
    assert outcome.code == 2
    assert f"{RECORD_NAME}" in outcome.err and "imgbuild new" in outcome.err


def test_update_restores_nothing_the_user_deleted_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, svc = _scaffold(tmp_path, capsys)
    (svc / "notes.txt").unlink()
    kept = imgbuild(capsys, tmp_path, "update", "svc")
    assert kept.code == 1
    assert not (svc / "notes.txt").exists()
    forced = imgbuild(capsys, tmp_path, "update", "svc", "--force")
    assert forced.code == 0
    assert (svc / "notes.txt").read_text() == "port 81\n"
