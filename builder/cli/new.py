"""`imgbuild new` and `imgbuild update`: scaffold a service from a template, and refresh it.

Click only: options in, library calls out, lines and an exit code back. The work is in
`builder.templates.scaffold` and `builder.templates.update`.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from builder.cli.options import options
from builder.cli.values import parse_pairs
from builder.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from builder.templates.discovery import TemplateRoot
    from builder.templates.manifest import Question
    from builder.templates.questions import Prompter
    from builder.templates.scaffold import FileChange

_ANSWER_OPTIONS = ("answers", "answers_file", "no_input", "force", "template_dirs")


@click.command("new")
@click.argument("template", required=False)
@click.argument("dest", required=False, type=click.Path(file_okay=False))
@options("new.list", "new.format", *_ANSWER_OPTIONS)
@click.pass_context
def new(
    ctx: click.Context,
    template: str | None,
    dest: str | None,
    list_only: bool,
    output_format: str,
    sets: tuple[str, ...],
    answers_file: str | None,
    no_input: bool,
    force: bool,
    template_dirs: tuple[str, ...],
) -> int:
    """Scaffold a new service from TEMPLATE into DEST (`imgbuild new --list` shows templates).

    Writes a Dockerfile, a .dockerignore and, in a new or empty DEST, an example service;
    records the answers in DEST/.imgbuild-answers.toml and adds the image to the nearest
    imgbuild.toml (created if absent). Existing files are never overwritten without --force.
    With DEST alone (`imgbuild new .` in a folder with code), the template is the one that fits
    the files there, which also suggest its answers.
    """
    from builder.templates.scaffold import Outcome, new_service

    if template and not dest:  # one argument: the folder
        template, dest = None, template
    config_file = _config_file(ctx)
    start = Path(dest) if dest else Path.cwd()
    roots = _roots(template_dirs, config_file, start.absolute())
    if list_only:
        return _list(roots, output_format)
    if not dest:
        raise UsageError(
            "new needs DEST, or TEMPLATE and DEST",
            hint="e.g. imgbuild new python services/api, or imgbuild new . in a folder with code",
        )
    prompt = _prompter(no_input)
    if template is None:
        template = _proposed_template(Path(dest), roots, interactive=prompt is not None)
    result = new_service(
        template,
        Path(dest),
        _given(sets, answers_file),
        roots,
        force=force,
        prompt=prompt,
        config_path=config_file,
    )
    if result.detection is not None:
        found = ", ".join(f"{k} = {_display(v)}" for k, v in result.detection.answers.items())
        click.echo(f"from {', '.join(result.detection.evidence)}: {found}")
        for note in result.detection.notes:
            click.echo(f"note: {note}")
    _print_changes(result.dest, result.files)
    if result.config_path is not None and result.config_outcome is not None:
        verb = {Outcome.CREATED: "created", Outcome.UPDATED: "added the image to"}.get(
            result.config_outcome, "image already in"
        )
        click.echo(f"{verb} {_shown(result.config_path)}")
    return int(ExitCode.OK)


@click.command("update")
@click.argument("dest", type=click.Path(file_okay=False, exists=True))
@options("update.dry_run", *_ANSWER_OPTIONS)
@click.pass_context
def update(
    ctx: click.Context,
    dest: str,
    dry_run: bool,
    sets: tuple[str, ...],
    answers_file: str | None,
    no_input: bool,
    force: bool,
    template_dirs: tuple[str, ...],
) -> int:
    """Re-render DEST from its template with the answers recorded there.

    Shows the diff and replaces only files you have not changed since they were generated
    (all of them with --force). Exits 1 when a changed file was kept.
    """
    from builder.templates.update import update_service

    roots = _roots(template_dirs, _config_file(ctx), Path(dest).absolute())
    result = update_service(
        Path(dest),
        _given(sets, answers_file),
        roots,
        force=force,
        prompt=_prompter(no_input),
        dry_run=dry_run,
    )
    for change in result.files:
        if change.diff:
            click.echo(change.diff, nl=not change.diff.endswith("\n"))
    _print_changes(result.dest, result.files, dry_run=dry_run)
    if result.kept:
        click.echo(
            f"kept {len(result.kept)} file(s) you changed since generation: "
            + ", ".join(change.relative for change in result.kept)
            + " (use --force to replace them)",
            err=True,
        )
        return int(ExitCode.FAILURE)
    return int(ExitCode.OK)


def _proposed_template(dest: Path, roots: Sequence[TemplateRoot], *, interactive: bool) -> str:
    """The template that fits the code in `dest`, confirmed on a terminal."""
    from builder.templates.detect import detect
    from builder.templates.discovery import iter_templates

    detection = detect(dest)
    if detection.template is None:
        names = {template.name for template in iter_templates(roots)}
        shown = _shown(dest)
        hint = (
            f"to scaffold the template {shown}, name a folder: imgbuild new {shown} DEST"
            if shown in names
            else f"name a template: imgbuild new TEMPLATE {shown} (imgbuild new --list)"
        )
        raise UsageError(
            f"found no project in {shown} to propose a template for (package.json, go.mod,"
            " pom.xml, build.gradle, requirements.txt, pyproject.toml, index.html)",
            hint=hint,
        )
    click.echo(f"detected {detection.template} in {_shown(dest)} ({', '.join(detection.evidence)})")
    if interactive:
        chosen: str = click.prompt("template", default=detection.template)
        return chosen
    return detection.template


def _config_file(ctx: click.Context) -> Path | None:
    explicit = (ctx.obj or {}).get("config_file")
    return Path(explicit).absolute() if explicit else None


def _roots(
    template_dirs: Sequence[str], config_file: Path | None, start: Path
) -> tuple[TemplateRoot, ...]:
    from builder.templates.discovery import roots_for_config_file, search_roots
    from builder.toml_edit import find_nearest_config

    config = config_file if config_file and config_file.is_file() else find_nearest_config(start)
    project = roots_for_config_file(config) if config is not None else []
    return search_roots(template_dirs, project)


def _given(sets: Sequence[str], answers_file: str | None) -> dict[str, Any]:
    """Answers from the file, then --set (which wins)."""
    given: dict[str, Any] = {}
    if answers_file:
        given.update(_read_answers(Path(answers_file)))
    given.update(parse_pairs(sets, "--set", form="KEY=VALUE", hint="e.g. --set port=8080"))
    return given


def _read_answers(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        # ValueError covers both json.JSONDecodeError and tomllib.TOMLDecodeError.
        raise UsageError(f"cannot read the answers: {error}", path=path) from error
    if not isinstance(data, dict):
        raise UsageError("answers must be a table/object of NAME = VALUE", path=path)
    return data


def _prompter(no_input: bool) -> Prompter | None:
    if no_input or not sys.stdin.isatty():
        return None
    return ask_on_terminal


def ask_on_terminal(question: Question, default: Any) -> Any:
    """Ask one question with click, showing its default; a bad answer is asked again."""
    from builder.templates.questions import parse_answer

    def convert(text: Any) -> Any:
        try:
            return parse_answer(question, text)
        except ValueError as error:
            raise click.BadParameter(str(error)) from error

    label = question.name
    if question.choices:
        label += f" ({'/'.join(question.choices)})"
    if question.help:
        label += f" - {question.help}"
    return click.prompt(
        label,
        default=None if default is None else _display(default),
        value_proc=convert,
        hide_input=question.secret,
        show_default=not question.secret,
    )


def _print_changes(dest: Path, changes: Sequence[FileChange], *, dry_run: bool = False) -> None:
    prefix = "would be " if dry_run else ""
    for change in changes:
        if change.outcome.value != "unchanged":
            click.echo(f"{prefix}{change.outcome.value} {_shown(dest / change.relative)}")


def _display(value: Any) -> str:
    """A default as the user would type it: `true`, not Python's `True`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _list(roots: Sequence[TemplateRoot], output_format: str) -> int:
    from builder.templates.discovery import iter_templates

    templates = list(iter_templates(roots))
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    for template in templates:
        rows.append(
            {
                "name": template.name,
                "source": template.source,
                "origin": template.root.origin,
                "path": str(template.directory),
                "description": template.manifest.description,
                "version": template.manifest.version,
                "shadowed": template.name in seen,
                "questions": [
                    {
                        "name": q.name,
                        "type": q.type.value,
                        "help": q.help,
                        "default": None if q.secret else q.default,
                        "choices": list(q.choices),
                        "validate": q.validate.value if q.validate else None,
                        "regex": q.regex,
                        "secret": q.secret,
                        "when": q.when,
                    }
                    for q in template.manifest.questions
                ],
            }
        )
        seen.add(template.name)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return int(ExitCode.OK)
    for row in rows:
        where = "builtin" if row["source"] == "builtin" else f"{row['path']} ({row['origin']})"
        shadowed = "  [shadowed by an earlier folder]" if row["shadowed"] else ""
        click.echo(f"{row['name']}: {row['description']}")
        click.echo(f"  from {where}{shadowed}")
        for q in row["questions"]:
            kind = "choice of " + "/".join(q["choices"]) if q["choices"] else q["type"]
            default = "" if q["default"] is None else f" [default: {_display(q['default'])}]"
            secret = " (secret)" if q["secret"] else ""
            click.echo(f"    {q['name']} ({kind}){secret}: {q['help']}{default}")
    return int(ExitCode.OK)
