"""The `imgbuild` command line: a thin click layer over the library.

Commands live one per module and are imported only when run, so `imgbuild --help` and
`imgbuild lint` do not pay for the Docker SDK or rich. `main()` is the one error boundary: every
`ImgbuildError` becomes one line on stderr and its exit code; no traceback reaches the user
unless IMGBUILD_DEBUG is set.

`imgbuild lint FILE...` with only the options editors and pre-commit pass runs without click
(`builder.cli.lint.fast_values`): one changed file's lint pays its start-up every time, and
click and the command tree are about a fifth of it. Everything else goes through the click group
(`cli`), which is made on first use.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

from builder.errors import ExitCode, ImgbuildError

if TYPE_CHECKING:
    import click

# Command name -> "module:attribute". The one table of every command.
COMMANDS: dict[str, str] = {
    "build": "builder.cli.build:build",
    "graph": "builder.cli.graph:graph",
    "lint": "builder.cli.lint:lint",
    "new": "builder.cli.new:new",
    "update": "builder.cli.new:update",
    "render": "builder.cli.render:render",
    "tags": "builder.cli.tags:tags",
    "publish": "builder.cli.publish:publish",
    "promote": "builder.cli.publish:promote",
    "login": "builder.cli.login:login",
    "logout": "builder.cli.login:logout",
    "engines": "builder.cli.engines:engines",
    "init": "builder.cli.init:init",
    "verify": "builder.cli.verify:verify",
}

SHORT_HELP: dict[str, str] = {
    "build": "Build images in dependency order, skipping what has not changed.",
    "graph": "Print the image graph (text, dot, mermaid, json) or draw it (svg, png).",
    "lint": "Lint Dockerfiles (hadolint-compatible rules, fixes).",
    "new": "Scaffold a new service from a template.",
    "update": "Re-render a scaffolded service from its template.",
    "render": "Print the rendered Dockerfile of a templated image.",
    "tags": "Print the tags each image would get, and why.",
    "publish": "Build, then push every tag of every image to the registries.",
    "promote": "Retag a published image in the registry without rebuilding.",
    "login": "Check registry credentials and store them in the keyring.",
    "logout": "Remove a registry's credentials from the keyring.",
    "engines": "List the pool of Docker engines and their health.",
    "init": "Propose and write imgbuild.toml for existing Dockerfiles, Compose or Bake.",
    "verify": "Check a published image's signature; show its provenance and SBOM.",
}


# Commands that call `startup_done` themselves, once they have loaded what they need (lint: its
# settings and session; build and publish: the library modules their command imports); every
# other command's start-up ends when its module is imported.
_OWN_STARTUP = frozenset({"lint", "build", "publish"})


def main(argv: list[str] | None = None) -> None:
    # Start-up is imports: thousands of objects that live as long as the process (modules,
    # classes, compiled patterns) and no garbage, so the collector's passes over them are wasted
    # (about a tenth of `imgbuild lint FILE`). Off until `startup_done`.
    gc.disable()
    sys.exit(run(argv))


def startup_done() -> None:
    """Collect garbage again, never looking at what start-up loaded (frozen out of the passes).
    Nothing to do when `main` did not turn the collector off (`run` called in-process)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and map every outcome to an exit code (the one error boundary)."""
    try:
        result: Any = _invoke(sys.argv[1:] if argv is None else list(argv))
    except ImgbuildError as error:
        _print_error(str(error))
        return int(error.exit_code)
    except KeyboardInterrupt:
        _print_error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as error:  # the boundary: anything unexpected is still one line
        code = _click_outcome(error)
        if code is not None:
            return code
        if os.environ.get("IMGBUILD_DEBUG"):
            raise
        _print_error(
            f"unexpected error: {type(error).__name__}: {error} (set IMGBUILD_DEBUG=1 "
            "for a traceback and report it)"
        )
        return int(ExitCode.INTERNAL)
    return int(result) if isinstance(result, int) else int(ExitCode.OK)


def _invoke(args: list[str]) -> Any:
    if args[:1] == ["lint"]:
        from builder.cli import lint

        values = lint.fast_values(args[1:])
        if values is not None:
            return lint.run_lint(**values)
    return _cli().main(args=args, prog_name="imgbuild", standalone_mode=False)


def _click_outcome(error: Exception) -> int | None:
    """The exit code of click's own outcomes (a usage error, Ctrl-C at a prompt, --help's exit),
    or None for any other error. Without click loaded, there is none of them."""
    if "click" not in sys.modules:
        return None
    import click

    if isinstance(error, click.exceptions.Abort):
        _print_error("interrupted")
        return int(ExitCode.INTERRUPTED)
    if isinstance(error, click.ClickException):
        error.show()
        return int(ExitCode.USAGE) if isinstance(error, click.UsageError) else error.exit_code
    if isinstance(error, click.exceptions.Exit):
        return error.exit_code
    return None


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo`, written directly where that is all it would do, so that a command run
    without click does not import it: click is not loaded, the stream's encoding is not ASCII
    (which click replaces) and the text holds no escape sequence (which it strips off a file)."""
    stream = sys.stderr if err else sys.stdout
    if "click" in sys.modules or "\x1b" in message or not _writes_text(stream):
        import click

        click.echo(message, err=err, nl=nl)
        return
    stream.write(f"{message}\n" if nl else message)
    stream.flush()


def _writes_text(stream: Any) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return False
    import codecs

    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def _print_error(message: str) -> None:
    # Several problems (a config with many mistakes) are several lines, each complete.
    for line in message.splitlines() or [""]:
        echo(f"imgbuild: error: {line}", err=True)


def _module_exists(cmd_name: str) -> bool:
    from importlib.util import find_spec

    module_name = COMMANDS[cmd_name].split(":")[0]
    return find_spec(module_name) is not None


def __getattr__(name: str) -> Any:
    if name == "cli":  # the click group, for tests and tools that drive it (CliRunner)
        return _cli()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _cli() -> click.Group:
    """The click group of every command, made on first use."""
    import click

    from builder import __version__
    from builder.cli.options import option

    class LazyGroup(click.Group):
        """A group whose commands are imported on first use."""

        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(name for name in COMMANDS if _module_exists(name))

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            target = COMMANDS.get(cmd_name)
            if target is None:
                return None
            module_name, attribute = target.split(":")
            try:  # not find_spec first: importlib.util is an import a command can spare
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:  # a module the command imports is missing: a bug
                    raise
                return None
            command = getattr(module, attribute)
            assert isinstance(command, click.Command)
            if cmd_name not in _OWN_STARTUP:
                startup_done()
            return command

        def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
            # Listing commands must not import them: use the static help table.
            rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
            if rows:
                with formatter.section("Commands"):
                    formatter.write_dl(rows)

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="imgbuild")
    @option("config_file")
    @click.pass_context
    def cli(ctx: click.Context, config_file: str | None) -> None:
        """imgbuild: build, lint, scaffold and publish a graph of container images."""
        ctx.obj = {"config_file": config_file}

    return cli
