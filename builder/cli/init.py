"""`imgbuild init`: propose an imgbuild.toml for a repository that already has Dockerfiles, a
compose.yaml or a docker-bake file, show it and its graph, and write it once confirmed.

Click only: the proposal is `builder.adopt`'s; this module prints it, asks, and exits.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.options import options

if TYPE_CHECKING:
    from builder.adopt.model import Proposal
    from builder.graph import Graph


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@options("init.from", "init.repository_prefix", "init.yes", "init.force")
def init(
    directory: Path | None,
    source: Path | None,
    repository_prefix: str | None,
    yes: bool,
    force: bool,
) -> int:
    """Propose imgbuild.toml for DIRECTORY (default: .) and write it there once confirmed.

    Without --from, one image per Dockerfile below DIRECTORY (respecting .gitignore); with
    --from, the build sections of a compose.yaml or the targets of a docker-bake.hcl/.json.
    Prints the config and the graph imgbuild infers from it, then what it skipped or could
    not convert. An existing imgbuild.toml is never replaced without --force.
    """
    from builder.adopt import write
    from builder.adopt.propose import propose

    root = (directory or Path(".")).resolve()
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="DIRECTORY")
    path = write.config_path(root, force=force)
    proposal, described = propose(root, source, repository_prefix)
    if not proposal.images:
        _report(proposal)
        click.echo("nothing to write: no image found", err=True)
        return 1
    text = write.render(proposal, described)
    with write.inline_dockerfiles(proposal) as keep:
        graph = write.check(proposal, text)
        if _show_and_confirm(proposal, text, graph, path, yes=yes):
            write.write(path, text)
            keep()
            click.echo(f"wrote {path} ({len(proposal.images)} images)", err=True)
    return 0


def _show_and_confirm(
    proposal: Proposal, text: str, graph: Graph, path: Path, *, yes: bool
) -> bool:
    from builder.graph_output import as_text

    click.echo(text)
    # Comment lines: the whole of stdout stays a config (`imgbuild init > imgbuild.toml`).
    inferred = "".join(f"\n# {line}" for line in as_text(graph).splitlines())
    click.echo(f"# The graph imgbuild infers from it:{inferred}")
    _report(proposal)
    if not yes and not _confirmed(path):
        click.echo(f"{path.name} not written (confirm on a terminal, or pass --yes)", err=True)
        return False
    return True


def _report(proposal: Proposal) -> None:
    for title, notes in (("skipped", proposal.skipped), ("not converted", proposal.unconverted)):
        if notes:
            click.echo(f"{title}:", err=True)
            for note in notes:
                click.echo(f"  {note}", err=True)


def _confirmed(path: Path) -> bool:
    if not sys.stdin.isatty():
        return False
    return click.confirm(f"Write {path}?", default=True, err=True)
