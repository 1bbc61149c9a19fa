"""`imgbuild update`: re-render a scaffolded service with its recorded answers.

A generated file is replaced only when its content still has the hash recorded at generation,
i.e. the user has not touched it; otherwise it is kept (and reported) unless `force`. Kept files
keep their old recorded hash, so the next update still sees them as the user's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.templates.detect import HAS_CODE
from builder.templates.discovery import BUILTIN, Template, TemplateRoot, find_template
from builder.templates.environment import make_environment
from builder.templates.questions import Prompter, resolve_answers
from builder.templates.record import RECORD_NAME, Record, dump_record, make_record, read_record
from builder.templates.scaffold import FileChange, Outcome
from builder.templates.tree import (
    RenderedFile,
    content_digest,
    render_tree,
    safe_target,
    write_file,
)


@dataclass(frozen=True)
class UpdateResult:
    dest: Path
    template: Template
    files: tuple[FileChange, ...]
    dry_run: bool

    @property
    def kept(self) -> tuple[FileChange, ...]:
        return tuple(change for change in self.files if change.outcome is Outcome.KEPT)


def update_service(
    dest: Path,
    given: Mapping[str, Any],
    roots: Sequence[TemplateRoot],
    *,
    force: bool = False,
    prompt: Prompter | None = None,
    dry_run: bool = False,
) -> UpdateResult:
    dest = dest.expanduser().absolute()
    record = read_record(dest)
    roots = _with_recorded_source(roots, record)
    template = find_template(record.template, roots)
    environment = make_environment(roots)
    known = {question.name for question in template.manifest.questions}
    # Recorded answers to questions the template no longer asks are dropped, not errors.
    recorded = {name: value for name, value in record.answers.items() if name in known}
    # A scaffold holds code: an answer added to the template since (`example`) takes the
    # default it has in a folder with code.
    extra = {"dest_name": dest.name, HAS_CODE: True}
    answers = resolve_answers(
        template.manifest, {**recorded, **given}, environment, extra=extra, prompt=prompt
    )
    files = render_tree(template, {**extra, **answers}, environment)
    changes: list[FileChange] = []
    digests: dict[str, str] = {}
    writes: list[tuple[Path, RenderedFile]] = []
    for file in files:
        target = safe_target(dest, file.relative, file.source)
        current = target.read_bytes() if target.is_file() else None
        outcome = _outcome(current, record.files.get(file.relative), file.content, force)
        if outcome is Outcome.KEPT:
            if file.relative in record.files:
                digests[file.relative] = record.files[file.relative]
        else:
            digests[file.relative] = file.digest
        if outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.OVERWRITTEN):
            writes.append((target, file))
        changes.append(FileChange(file.relative, outcome, _diff(file.relative, current, file)))
    if not dry_run:
        for target, file in writes:
            write_file(target, file.content, file.executable)
        new_record = make_record(template, answers, digests)
        write_file(dest / RECORD_NAME, dump_record(new_record), False)
    return UpdateResult(dest, template, tuple(changes), dry_run)


def _with_recorded_source(roots: Sequence[TemplateRoot], record: Record) -> list[TemplateRoot]:
    """Also search the folder the service was made from, after any folder named now."""
    result = list(roots)
    source = Path(record.source)
    recorded = record.source not in ("", BUILTIN) and source.is_dir()
    if recorded and all(root.path != source for root in result):
        builtin_at = next((i for i, r in enumerate(result) if r.is_builtin), len(result))
        result.insert(builtin_at, TemplateRoot(source, RECORD_NAME))
    return result


def _outcome(current: bytes | None, recorded: str | None, new: bytes, force: bool) -> Outcome:
    if current == new:
        return Outcome.UNCHANGED
    if current is None:
        # Never generated before: a new file of the template. Generated, then deleted: the
        # user's choice, kept unless forced.
        return Outcome.CREATED if recorded is None or force else Outcome.KEPT
    untouched = recorded is not None and content_digest(current) == recorded
    if untouched:
        return Outcome.UPDATED
    return Outcome.OVERWRITTEN if force else Outcome.KEPT


def _diff(relative: str, current: bytes | None, file: RenderedFile) -> str:
    if current == file.content:
        return ""
    before = (current or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
    after = file.content.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(
            before,
            after,
            fromfile=f"a/{relative}" if current is not None else "/dev/null",
            tofile=f"b/{relative}",
        )
    )
