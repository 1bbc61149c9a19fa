"""A template's manifest (`template.toml`): its description, version and questions.

Questions are data, not code: each names its type, help, default, choices and validation, so the
same manifest drives `--no-input`, `--set`, interactive prompts, `new --list` and the `vars` of a
templated image in imgbuild.toml. A manifest may say `extends = "builtin:python"` to inherit
another template's questions and files instead of copying them. Its `[variables]` are values
derived from the answers (Jinja, in order), for file names and files; they are never asked or
recorded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from builder.config import KeyLocator
from builder.errors import TemplateError

MANIFEST_NAME = "template.toml"
DEFAULT_DOCKERFILE = "Dockerfile.j2"


class QuestionType(Enum):
    STR = "str"
    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"


class Validation(Enum):
    """Named checks a question may ask for, beyond its type."""

    IMAGE_NAME = "image_name"  # a key of [images] that is also a valid repository
    IMAGE_REF = "image_ref"  # a full image reference, e.g. python:3.12-slim
    PORT = "port"  # 1-65535
    RELATIVE_PATH = "relative_path"  # a path that stays inside the destination


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType = QuestionType.STR
    help: str = ""
    default: Any = None  # strings may be Jinja referring to earlier answers
    choices: tuple[str, ...] = ()
    validate: Validation | None = None
    regex: str | None = None
    secret: bool = False
    when: str | None = None  # a Jinja expression over earlier answers; false -> not asked
    line: int | None = None  # where the question is declared, for error messages

    @property
    def has_default(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Manifest:
    path: Path
    description: str
    version: str
    questions: tuple[Question, ...]
    dockerfile: str = DEFAULT_DOCKERFILE  # the file a `template = ` image renders
    exclude: tuple[str, ...] = ()  # files of the template folder that are not output
    extends: str | None = None  # another template whose questions and files this one inherits
    variables: tuple[tuple[str, str], ...] = ()  # (name, Jinja text) derived from the answers

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)


_QUESTION_KEYS = frozenset(
    {"name", "type", "help", "default", "choices", "validate", "regex", "secret", "when"}
)
_TOP_KEYS = frozenset(
    {"description", "version", "dockerfile", "exclude", "questions", "extends", "variables"}
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def load_manifest(path: Path) -> Manifest:
    """Read and check `path`; every problem is a TemplateError at its line."""
    try:
        text = path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except OSError as error:
        raise TemplateError(f"cannot read the manifest: {error.strerror}", path=path) from error
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"not valid TOML: {error}", path=path) from error
    locator = KeyLocator(text)
    for key in document:
        if key not in _TOP_KEYS:
            raise TemplateError(
                f"unknown manifest key {key!r}",
                path=path,
                line=locator.line([key]),
                hint=f"known keys: {', '.join(sorted(_TOP_KEYS))}",
            )
    raw_questions = document.get("questions", [])
    if not isinstance(raw_questions, list):
        raise TemplateError("questions must be an array of tables ([[questions]])", path=path)
    question_lines = _question_lines(text)
    questions: list[Question] = []
    for index, raw in enumerate(raw_questions):
        line = question_lines[index] if index < len(question_lines) else None
        question = _question(raw, path, line)
        if any(q.name == question.name for q in questions):
            raise TemplateError(
                f"question {question.name!r} is declared twice", path=path, line=line
            )
        questions.append(question)
    exclude = document.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(item, str) for item in exclude):
        raise TemplateError("exclude must be a list of file patterns", path=path)
    variables = _variables(document.get("variables", {}), questions, path, locator)
    return Manifest(
        path=path,
        description=str(document.get("description", "")),
        version=str(document.get("version", "0")),
        questions=tuple(questions),
        dockerfile=str(document.get("dockerfile", DEFAULT_DOCKERFILE)),
        exclude=tuple(exclude),
        extends=str(document["extends"]) if "extends" in document else None,
        variables=variables,
    )


def _variables(
    raw: Any, questions: list[Question], path: Path, locator: KeyLocator
) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, Mapping):
        raise TemplateError('variables must be a table of NAME = "Jinja text"', path=path)
    asked = {question.name for question in questions}
    for name, text in raw.items():
        line = locator.line(["variables", name])
        if not _IDENTIFIER.match(name) or not isinstance(text, str):
            raise TemplateError(
                f"variable {name!r} needs a Jinja identifier as its name and text as its value",
                path=path,
                line=line,
            )
        if name in asked:
            raise TemplateError(
                f"variable {name!r} has the name of a question", path=path, line=line
            )
    return tuple(raw.items())


def inherit(child: Manifest, parent: Manifest) -> Manifest:
    """`child` with its parent's questions (its own replace same-named ones) and excludes."""
    own = {question.name: question for question in child.questions}
    questions = [own.pop(question.name, question) for question in parent.questions]
    questions.extend(q for q in child.questions if q.name in own)
    variables = {**dict(parent.variables), **dict(child.variables)}
    return replace(
        child,
        questions=tuple(questions),
        exclude=tuple(dict.fromkeys((*parent.exclude, *child.exclude))),
        variables=tuple(variables.items()),
    )


def _question_lines(text: str) -> list[int]:
    """The line of each `[[questions]]` header, in order (tomllib keeps no positions)."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^\s*\[\[\s*questions\s*\]\]", line)
    ]


def _question(raw: Any, path: Path, line: int | None) -> Question:
    def fail(message: str, hint: str | None = None) -> TemplateError:
        return TemplateError(message, path=path, line=line, hint=hint)

    if not isinstance(raw, Mapping):
        raise fail("each question must be a table")
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise fail(
            f"unknown question key {sorted(unknown)[0]!r}",
            f"known keys: {', '.join(sorted(_QUESTION_KEYS))}",
        )
    name = raw.get("name")
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise fail("a question needs a name that is a Jinja identifier (letters, digits, _)")
    try:
        kind = QuestionType(raw.get("type", "str"))
        validate = Validation(raw["validate"]) if "validate" in raw else None
    except ValueError as error:
        raise fail(f"question {name!r}: {error}") from error
    choices = raw.get("choices", [])
    if kind is QuestionType.CHOICE and (
        not choices or not all(isinstance(choice, str) for choice in choices)
    ):
        raise fail(f"question {name!r} is a choice but has no list of string choices")
    regex = raw.get("regex")
    if regex is not None:
        try:
            re.compile(regex)
        except re.error as error:
            raise fail(f"question {name!r}: bad regex: {error}") from error
    return Question(
        name=name,
        type=kind,
        help=str(raw.get("help", "")),
        default=raw.get("default"),
        choices=tuple(choices),
        validate=validate,
        regex=regex,
        secret=bool(raw.get("secret", False)),
        when=raw.get("when"),
        line=line,
    )
