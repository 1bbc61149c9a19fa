"""What credentials look like: token formats, private keys, passwords in URLs, secret files.

Only shapes specific enough to be worth a finding: a vendor's token prefix and length, a PEM
private-key header, `scheme://user:password@host`. Callers report the kind, never the value.
"""

from __future__ import annotations

import posixpath
import re

# Each shape with the strings one of which any text of that shape holds: most texts hold none,
# and looking for a string is much faster than trying a pattern that starts at a word boundary.
# Patterns, not compiled ones: `re` compiles each on first use, which few texts come to.
_VALUE_PATTERNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "a private key",
        ("PRIVATE KEY",),
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----",
    ),
    (
        "an AWS access key ID",
        ("AKIA", "ASIA", "AGPA", "AIDA", "AROA"),
        r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b",
    ),
    (
        "a GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})",
    ),
    ("a GitLab token", ("glpat-",), r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("a Slack token", ("xox",), r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    (
        "a Slack webhook URL",
        ("https://hooks.slack.com/services/",),
        r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/\w+",
    ),
    ("an npm token", ("npm_",), r"\bnpm_[A-Za-z0-9]{36}\b"),
    (
        "a PyPI token",
        ("pypi-AgEIcHlwaS5vcmc",),
        r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
    ),
    ("a Stripe secret key", ("k_live_",), r"\b[sr]k_live_[A-Za-z0-9]{20,}"),
    ("a Google API key", ("AIza",), r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("an OpenAI API key", ("sk-",), r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}"),
)
# scheme://user:password@host, where the password is not a variable or a placeholder
_URL_PASSWORD = r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?P<password>[^/\s@'\"]+)@"
_PLACEHOLDERS = frozenset({"password", "pass", "secret", "xxx", "changeme", "***", "..."})

_SECRET_FILES = frozenset(
    {
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".git-credentials",
        ".htpasswd",
        "credentials.json",
        "service-account.json",
        ".env",
    }
)
_SECRET_SUFFIXES = (".p12", ".pfx", ".jks", ".keystore")
# `.key` is also used for public GPG keys (`jenkins.io.key`): only names that say private/TLS
_PRIVATE_KEY_HINTS = ("private", "priv", "server", "client", "tls", "ssl")
_CERTIFICATE_HINTS = ("cert", "ca", "chain", "bundle", "root", "pub", "public")
_SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")


# The words hadolint's DL3064 looks for in an ARG or ENV name (kept exactly, for its findings).
SENSITIVE_NAME_WORDS = (
    "password",
    "secret",
    "token",
    "private",
    "api_key",
    "aws_access_key_id",
    "username",
)


def names_a_secret(name: str, more_words: tuple[str, ...] = ()) -> bool:
    """Whether a variable's name suggests it holds a secret (any case)."""
    lowered = name.lower()
    return any(word in lowered for word in (*SENSITIVE_NAME_WORDS, *more_words))


def secret_kind(text: str) -> str | None:
    """What kind of credential `text` holds, e.g. "a GitHub token", or None."""
    for kind, needles, pattern in _VALUE_PATTERNS:
        if any(needle in text for needle in needles) and re.search(pattern, text):
            return kind
    if "://" not in text:
        return None
    for match in re.finditer(_URL_PASSWORD, text):
        password = match.group("password")
        if "$" not in password and password.lower() not in _PLACEHOLDERS:
            return "a password in a URL"
    return None


def is_secret_file(path: str) -> bool:
    """True for files that usually hold credentials: SSH keys, .npmrc, .env, *.key, ..."""
    name = posixpath.basename(path.rstrip("/")).lower()
    if name in _SECRET_FILES or path.rstrip("/").lower().endswith(".aws/credentials"):
        return True
    if name.startswith(".env.") and not name.endswith(_SAFE_ENV_SUFFIXES):
        return True
    if name.endswith(_SECRET_SUFFIXES):
        return True
    if name.endswith(".key"):
        return any(hint in name for hint in _PRIVATE_KEY_HINTS)
    if name.endswith(".pem"):
        stem = name.removesuffix(".pem")
        return "key" in stem or not any(hint in stem for hint in _CERTIFICATE_HINTS)
    return False
