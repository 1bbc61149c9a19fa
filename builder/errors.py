"""The one exception hierarchy of imgbuild.

Every failure the user can act on is an `ImgbuildError` carrying where it happened (file, line)
and what to do about it. The CLI boundary turns it into one line and an exit code; nothing else
in the package prints errors.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the work failed: a build step, a push, a lint finding over the threshold
    USAGE = 2  # bad input: config, arguments, an unreadable file
    INTERNAL = 3  # an unexpected error: a bug of imgbuild, reported with the IMGBUILD_DEBUG hint
    INTERRUPTED = 130


class ImgbuildError(Exception):
    """A failure with a location and a hint, reported as one line."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class UsageError(ImgbuildError):
    """Bad input: arguments, config, an unreadable file. Exit 2."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A problem in imgbuild.toml, found before any work starts."""


class GraphError(UsageError):
    """The image graph cannot be ordered (a cycle, an unknown image)."""


class EngineError(ImgbuildError):
    """The Docker Engine did not answer or refused a request."""


class BuildError(ImgbuildError):
    """A build failed; the scheduler reports it per image."""


class RegistryError(ImgbuildError):
    """A registry refused or failed a request."""


class CredentialsError(ImgbuildError):
    """Credentials could not be found, stored or were refused."""


class TemplateError(UsageError):
    """A template could not be found, rendered or written."""


class Interrupted(ImgbuildError):
    """The user pressed Ctrl-C; the work was stopped cleanly."""

    exit_code = ExitCode.INTERRUPTED
