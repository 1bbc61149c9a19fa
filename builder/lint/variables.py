"""Build-time variables lint rules share: the proxy ARGs, the global ARGs' defaults.

BuildKit's own expansion, for the rules that mirror its checks, is `builder.lint.shellwords`.
"""

from __future__ import annotations

from builder.dockerfile import Dockerfile, substitute

# The proxy ARGs Docker predefines (hadolint tells ShellCheck of these; ALL_PROXY came later).
PROXY_ARGS = frozenset(
    {
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
    }
)


def global_defaults(dockerfile: Dockerfile) -> dict[str, str]:
    """The global ARGs' default values, each expanded with the ARGs declared before it."""
    values: dict[str, str] = {}
    for name, default in dockerfile.global_args.items():
        values[name] = substitute(default or "", values)
    return values


def unquote(word: str) -> str:
    """A word with its quotes removed, as Docker reads `FROM alpine:"${TAG}"`."""
    return word.replace('"', "").replace("'", "")
