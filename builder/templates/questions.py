"""Answering a template's questions: given answers, defaults, prompts, types and validation.

Answers arrive from many places (`--set`, an answers file, a recorded `.imgbuild-answers.toml`,
an image's `vars` in imgbuild.toml, a prompt); all of them go through `parse_answer`, so a port
is checked the same way whether it was typed or written in a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from builder.config import IMAGE_NAME_RE
from builder.errors import TemplateError
from builder.refs import is_valid_repository, parse_ref
from builder.suggest import hint_for
from builder.templates.environment import render_string
from builder.templates.manifest import Manifest, Question, QuestionType, Validation

# Asks one question on a terminal; gets the question and its default (already rendered).
Prompter = Callable[[Question, Any], Any]

_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})


class AnswerError(TemplateError):
    """An answer is missing or invalid; `question` names which."""

    def __init__(
        self, message: str, *, question: str, hint: str | None = None, missing: bool = False
    ) -> None:
        super().__init__(message, hint=hint)
        self.question = question
        self.missing = missing  # no answer at all, rather than a wrong one


def parse_answer(question: Question, raw: Any) -> Any:
    """Convert `raw` (typed text or a TOML/JSON value) to the question's type, then validate.

    Raises ValueError with a message that never repeats a secret.
    """
    value = _convert(question, raw)
    _validate(question, value)
    return value


def _shown(question: Question, raw: Any) -> str:
    return "the value" if question.secret else repr(raw)


def _convert(question: Question, raw: Any) -> Any:
    if question.type is QuestionType.INT:
        if isinstance(raw, bool):
            raise ValueError(f"{_shown(question, raw)} is not a whole number")
        if isinstance(raw, int):
            return raw
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError(f"{_shown(question, raw)} is not a whole number") from None
    if question.type is QuestionType.BOOL:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f"{_shown(question, raw)} is not true or false")
    if isinstance(raw, bool | list | dict) or raw is None:
        raise ValueError(f"{_shown(question, raw)} is not text")
    text = str(raw)
    if question.type is QuestionType.CHOICE and text not in question.choices:
        raise ValueError(f"{_shown(question, raw)} is not one of {', '.join(question.choices)}")
    return text


def _validate(question: Question, value: Any) -> None:
    shown = _shown(question, value)
    check = question.validate
    if check is Validation.PORT and not (isinstance(value, int) and 1 <= value <= 65535):
        raise ValueError(f"{shown} is not a port (1-65535)")
    if check is Validation.IMAGE_NAME and not (
        IMAGE_NAME_RE.match(str(value)) and is_valid_repository(str(value))
    ):
        raise ValueError(
            f"{shown} is not a valid image name (lowercase letters, digits, '.', '_', '-', "
            "starting with a letter or digit)"
        )
    if check is Validation.IMAGE_REF and parse_ref(str(value)) is None:
        raise ValueError(f"{shown} is not an image reference such as python:3.12-slim")
    if check is Validation.RELATIVE_PATH and not is_relative_path(str(value)):
        raise ValueError(f"{shown} is not a relative path inside the destination")
    if question.regex is not None and not re.fullmatch(question.regex, str(value)):
        raise ValueError(f"{shown} does not match {question.regex}")


def is_relative_path(text: str) -> bool:
    """True for `a/b`, false for `/a`, `../a`, `a/../../b`, `C:\\a` and the empty path."""
    if not text or "\\" in text or "\0" in text or re.match(r"^[A-Za-z]:", text):
        return False
    path = PurePosixPath(text)
    return not path.is_absolute() and ".." not in path.parts


def resolve_answers(
    manifest: Manifest,
    given: Mapping[str, Any],
    environment: SandboxedEnvironment,
    *,
    extra: Mapping[str, Any] | None = None,
    prompt: Prompter | None = None,
    suggested: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Answer every question in order: given, else prompted, else its default.

    `extra` holds variables defaults may use besides earlier answers (e.g. `dest_name`).
    `suggested` replaces the defaults of some questions (what was found in the destination).
    Without a prompter, a question with neither answer nor default is an error naming it.
    """
    _check_known(manifest, given)
    answers: dict[str, Any] = {}
    for question in manifest.questions:
        context = {**(extra or {}), **answers}
        if not _asked(question, context, environment, manifest.path):
            answers[question.name] = (
                _default(question, context, environment, manifest.path)
                if question.has_default
                else None
            )
            continue
        if question.name in given:
            answers[question.name] = _parse_given(question, given[question.name])
            continue
        if suggested is not None and question.name in suggested:
            default = suggested[question.name]
        elif question.has_default:
            default = _default(question, context, environment, manifest.path)
        else:
            default = None
        if prompt is not None:
            answers[question.name] = _parse_given(question, prompt(question, default))
        elif default is not None:
            answers[question.name] = _parse_given(question, default)
        else:
            raise AnswerError(
                f"question {question.name!r} has no answer and no default"
                + (f" ({question.help})" if question.help else ""),
                question=question.name,
                hint=f"answer it with --set {question.name}=VALUE or --answers FILE",
                missing=True,
            )
    return answers


def with_variables(
    manifest: Manifest, context: Mapping[str, Any], environment: SandboxedEnvironment
) -> dict[str, Any]:
    """`context` (the answers and extras) with the manifest's `[variables]` rendered in order."""
    result = dict(context)
    for name, text in manifest.variables:
        result[name] = render_string(environment, text, result, manifest.path).strip()
    return result


def _check_known(manifest: Manifest, given: Mapping[str, Any]) -> None:
    names = [question.name for question in manifest.questions]
    for key in given:
        if key not in names:
            raise AnswerError(
                f"the template has no question {key!r}",
                question=key,
                hint=hint_for(key, names, "questions"),
            )


def _parse_given(question: Question, raw: Any) -> Any:
    try:
        return parse_answer(question, raw)
    except ValueError as error:
        raise AnswerError(
            f"answer to {question.name!r}: {error}",
            question=question.name,
            hint=question.help or None,
        ) from error


def _asked(
    question: Question, context: Mapping[str, Any], environment: SandboxedEnvironment, path: Path
) -> bool:
    if question.when is None:
        return True
    text = render_string(environment, "{{ (" + question.when + ") }}", context, path, question.line)
    return text.strip().lower() not in ("false", "none", "", "0")


def _default(
    question: Question, context: Mapping[str, Any], environment: SandboxedEnvironment, path: Path
) -> Any:
    default = question.default
    if isinstance(default, str) and ("{{" in default or "{%" in default):
        return render_string(environment, default, context, path, question.line)
    return default
