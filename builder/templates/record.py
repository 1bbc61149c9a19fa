"""`.imgbuild-answers.toml`: what a scaffold was made from, so `imgbuild update` can redo it.

It records the template (name, source, version and a hash of its files), the answers (never
the secret ones) and a hash of every generated file; that last part is how `update` tells a
file the user edited from one it may safely replace.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomlkit

from builder.errors import TemplateError
from builder.templates.discovery import Template
from builder.templates.tree import content_digest, template_files

RECORD_NAME = ".imgbuild-answers.toml"
_HEADER = (
    "Written by `imgbuild new`; `imgbuild update` re-renders this service from it.\n"
    "Secret answers are never recorded. Edit answers here, or pass --set to update."
)


@dataclass(frozen=True)
class Record:
    template: str
    source: str
    version: str
    template_hash: str
    answers: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def template_hash(template: Template) -> str:
    """A hash of the template's own files, so a record shows which revision it came from."""
    digest = hashlib.sha256()
    for relative, path in template_files(template):
        digest.update(relative.encode() + b"\0" + content_digest(path.read_bytes()).encode())
    digest.update(template.manifest.path.read_bytes())
    return "sha256:" + digest.hexdigest()


def make_record(template: Template, answers: Mapping[str, Any], files: Mapping[str, str]) -> Record:
    """The record of a render; secret answers and unset ones are left out."""
    secret = {question.name for question in template.manifest.questions if question.secret}
    kept = {
        name: value for name, value in answers.items() if name not in secret and value is not None
    }
    return Record(
        template=template.name,
        source=template.source,
        version=template.manifest.version,
        template_hash=template_hash(template),
        answers=MappingProxyType(kept),
        files=MappingProxyType(dict(sorted(files.items()))),
    )


def dump_record(record: Record) -> bytes:
    document = tomlkit.document()
    for line in _HEADER.splitlines():
        document.add(tomlkit.comment(line))
    document.add("template", record.template)
    document.add("source", record.source)
    document.add("version", record.version)
    document.add("template_hash", record.template_hash)
    answers = tomlkit.table()
    for name, value in record.answers.items():
        answers.add(name, value)
    document.add("answers", answers)
    files = tomlkit.table()
    for name, digest in record.files.items():
        files.add(name, digest)
    document.add("files", files)
    return tomlkit.dumps(document).encode("utf-8")


def read_record(dest: Path) -> Record:
    path = dest / RECORD_NAME
    if not path.is_file():
        raise TemplateError(
            f"{dest} has no {RECORD_NAME}",
            hint="only a folder made by `imgbuild new` can be updated",
        )
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TemplateError(f"cannot read the answers file: {error}", path=path) from error
    answers = document.get("answers", {})
    files = document.get("files", {})
    template = document.get("template")
    if (
        not isinstance(template, str)
        or not isinstance(answers, dict)
        or not isinstance(files, dict)
    ):
        raise TemplateError(
            "the answers file lacks template, [answers] or [files]",
            path=path,
            hint="restore it from version control, or scaffold again with `imgbuild new`",
        )
    return Record(
        template=template,
        source=str(document.get("source", "")),
        version=str(document.get("version", "")),
        template_hash=str(document.get("template_hash", "")),
        answers=MappingProxyType(answers),
        files=MappingProxyType({str(k): str(v) for k, v in files.items()}),
    )
