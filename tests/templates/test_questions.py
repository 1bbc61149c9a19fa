"""Questions as data: defaults that use earlier answers, `when`, prompts and re-prompts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from builder.cli.new import ask_on_terminal
from builder.errors import TemplateError
from builder.templates.environment import make_environment
from builder.templates.manifest import Question, QuestionType, Validation, load_manifest
from builder.templates.questions import AnswerError, resolve_answers

MANIFEST = """
[[questions]]
name = "name"
default = "{{ dest_name }}"
validate = "image_name"

[[questions]]
name = "expose"
type = "bool"
default = false

[[questions]]
name = "port"
type = "int"
default = 8080
validate = "port"
when = "expose"

[[questions]]
name = "image"
default = "{{ name }}-server"
"""


def _manifest(tmp_path: Path, text: str = MANIFEST) -> Any:
    path = tmp_path / "template.toml"
    path.write_text(text)
    return load_manifest(path)


def test_defaults_use_earlier_answers(tmp_path: Path) -> None:
    answers = resolve_answers(
        _manifest(tmp_path), {"name": "api"}, make_environment([]), extra={"dest_name": "x"}
    )
    assert answers == {"name": "api", "expose": False, "port": 8080, "image": "api-server"}


def test_a_question_whose_when_is_false_is_not_prompted(tmp_path: Path) -> None:
    asked: list[str] = []

    def prompt(question: Question, default: Any) -> Any:
        asked.append(question.name)
        return default

    resolve_answers(
        _manifest(tmp_path), {}, make_environment([]), extra={"dest_name": "svc"}, prompt=prompt
    )
    assert asked == ["name", "expose", "image"]


def test_prompted_answers_are_validated(tmp_path: Path) -> None:
    def prompt(question: Question, default: Any) -> Any:
        return {"name": "svc", "expose": "yes", "port": "99999"}.get(question.name, default)

    with pytest.raises(AnswerError, match=r"99999 is not a port") as caught:
        resolve_answers(_manifest(tmp_path), {}, make_environment([]), extra={"dest_name": "s"},
                        prompt=prompt)  # fmt: skip
    assert caught.value.question == "port"


def test_terminal_prompt_shows_default_and_asks_again_after_a_bad_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    question = Question("port", QuestionType.INT, help="Port", validate=Validation.PORT)
    monkeypatch.setattr("sys.stdin", io.StringIO("70000\n8080\n"))
    assert ask_on_terminal(question, 8000) == 8080
    out = capsys.readouterr().out
    assert "port - Port [8000]: " in out
    assert "70000 is not a port (1-65535)" in out


def test_terminal_prompt_takes_the_default_on_enter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    question = Question("server", QuestionType.CHOICE, choices=("a", "b"))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert ask_on_terminal(question, "b") == "b"
    assert "server (a/b) [b]: " in capsys.readouterr().out


def test_secret_prompt_hides_input_and_default(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_prompt(text: str, **options: Any) -> Any:
        seen.update(options, text=text)
        return options["value_proc"]("tok")

    monkeypatch.setattr("click.prompt", fake_prompt)
    assert ask_on_terminal(Question("token", secret=True), "default-token") == "tok"
    assert seen["hide_input"] is True and seen["show_default"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[questions]]\nname = "a b"\n', "needs a name that is a Jinja identifier"),
        ('[[questions]]\nname = "a"\ntype = "float"\n', "'float' is not a valid QuestionType"),
        ('[[questions]]\nname = "a"\ntype = "choice"\n', "is a choice but has no list"),
        ('[[questions]]\nname = "a"\n[[questions]]\nname = "a"\n', "declared twice"),
        ('[[questions]]\nname = "a"\nhelpp = "x"\n', "unknown question key 'helpp'"),
        ("descripton = 'x'\n", "unknown manifest key 'descripton'"),
    ],
)
def test_bad_manifests_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        _manifest(tmp_path, text)


def test_manifest_errors_carry_the_question_line(tmp_path: Path) -> None:
    text = '[[questions]]\nname = "a"\n\n[[questions]]\nname = "b"\nvalidate = "zip"\n'
    with pytest.raises(TemplateError) as caught:
        _manifest(tmp_path, text)
    assert caught.value.line == 4
