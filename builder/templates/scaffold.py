"""`imgbuild new`: render a template into a destination folder, never destroying work.

Order matters: answer, render every file, check every target path and conflict, compute the
config edit; only then write. An existing file with other content is a conflict unless
`force`, and then it is reported as overwritten. In a folder that already holds code, what is
found there suggests the answers (see `detect`), and the example code is off by default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from builder.config import CONFIG_NAME
from builder.errors import TemplateError
from builder.templates.detect import HAS_CODE, Detection, detect, holds_code
from builder.templates.discovery import Template, TemplateRoot, find_template
from builder.templates.environment import make_environment
from builder.templates.questions import Prompter, resolve_answers
from builder.templates.record import RECORD_NAME, dump_record, make_record, read_record
from builder.templates.tree import RenderedFile, render_tree, safe_target, write_file
from builder.toml_edit import find_nearest_config, with_image


class Outcome(Enum):
    CREATED = "created"
    OVERWRITTEN = "overwritten"
    UNCHANGED = "unchanged"
    UPDATED = "updated"
    KEPT = "kept"  # update left a file the user changed (or deleted) alone


@dataclass(frozen=True)
class FileChange:
    relative: str
    outcome: Outcome
    diff: str = ""


@dataclass(frozen=True)
class NewResult:
    dest: Path
    template: Template
    files: tuple[FileChange, ...]
    config_path: Path | None  # None when the template makes no image (no `name` question)
    config_outcome: Outcome | None
    detection: Detection | None = None  # what DEST held, when it suggested answers


@dataclass(frozen=True)
class _Planned:
    target: Path
    file: RenderedFile
    outcome: Outcome


def new_service(
    template_name: str,
    dest: Path,
    given: Mapping[str, Any],
    roots: Sequence[TemplateRoot],
    *,
    force: bool = False,
    prompt: Prompter | None = None,
    config_path: Path | None = None,
    cwd: Path | None = None,
) -> NewResult:
    """Scaffold `template_name` into `dest` and add its image to the nearest imgbuild.toml."""
    dest = dest.expanduser().absolute()
    if dest.exists() and not dest.is_dir():
        raise TemplateError(f"{dest} exists and is not a folder", hint="choose another DEST")
    template = find_template(template_name, roots)
    environment = make_environment(roots)
    detection, suggested = _suggestions(template, dest)
    extra = {"dest_name": dest.name, HAS_CODE: holds_code(dest)}
    answers = resolve_answers(
        template.manifest, given, environment, extra=extra, prompt=prompt, suggested=suggested
    )
    context = {**extra, **answers}
    files = render_tree(template, context, environment)
    record = make_record(template, answers, {file.relative: file.digest for file in files})
    record_file = RenderedFile(RECORD_NAME, dump_record(record), False, template.manifest.path)
    planned = [_plan(dest, file) for file in (*files, record_file)]
    conflicts = [p.file.relative for p in planned if p.outcome is Outcome.OVERWRITTEN]
    if conflicts and not force:
        raise TemplateError(
            f"refusing to overwrite {len(conflicts)} existing file(s) in {dest}: "
            + ", ".join(conflicts),
            hint="nothing was written; use --force to overwrite them",
        )
    config_target, config_text, config_outcome = _plan_config(
        template, answers, dest, config_path, cwd or Path.cwd()
    )
    for item in planned:
        if item.outcome is not Outcome.UNCHANGED:
            write_file(item.target, item.file.content, item.file.executable)
    if config_target is not None and config_text is not None:
        write_file(config_target, config_text.encode("utf-8"), False)
    return NewResult(
        dest=dest,
        template=template,
        files=tuple(FileChange(p.file.relative, p.outcome) for p in planned),
        config_path=config_target,
        config_outcome=config_outcome,
        detection=detection,
    )


def _suggestions(template: Template, dest: Path) -> tuple[Detection | None, dict[str, Any]]:
    """Answers suggested by DEST: those recorded by a scaffold of it, else what its files say."""
    known = {question.name for question in template.manifest.questions}
    if (dest / RECORD_NAME).is_file():
        record = read_record(dest)
        if record.template == template.name:
            return None, {name: v for name, v in record.answers.items() if name in known}
    found = detect(dest)
    if found.template != template.name or not found.answers:
        return None, {}
    return found, {name: value for name, value in found.answers.items() if name in known}


def _plan(dest: Path, file: RenderedFile) -> _Planned:
    target = safe_target(dest, file.relative, file.source)
    if target.is_dir():
        raise TemplateError(
            f"{target} is a folder, the template writes a file there", hint="move the folder"
        )
    if not target.exists():
        return _Planned(target, file, Outcome.CREATED)
    if target.read_bytes() == file.content:
        return _Planned(target, file, Outcome.UNCHANGED)
    return _Planned(target, file, Outcome.OVERWRITTEN)


def _plan_config(
    template: Template,
    answers: Mapping[str, Any],
    dest: Path,
    explicit: Path | None,
    cwd: Path,
) -> tuple[Path | None, str | None, Outcome | None]:
    """Where the image goes and the config's new text (None: already there)."""
    name = answers.get("name")
    if not isinstance(name, str):
        return None, None, None
    path = explicit or find_nearest_config(dest) or _new_config_path(dest, cwd)
    path = path.absolute()
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    context = Path(os.path.relpath(dest, path.parent)).as_posix()
    entry: dict[str, Any] = {"context": context}
    dockerfile = template.manifest.dockerfile.removesuffix(".j2")
    if dockerfile != "Dockerfile":
        entry["dockerfile"] = dockerfile
    text = with_image(existing, name, entry, path)
    if text is None:
        return path, None, Outcome.UNCHANGED
    return path, text, Outcome.CREATED if existing is None else Outcome.UPDATED


def _new_config_path(dest: Path, cwd: Path) -> Path:
    """No config yet: make one for the project we are in, else beside the service."""
    cwd = cwd.absolute()
    base = cwd if dest.is_relative_to(cwd) else dest
    return base / CONFIG_NAME
