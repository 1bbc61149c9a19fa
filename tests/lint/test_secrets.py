"""What credentials look like: each shape `secret_kind` knows, found in a longer text.

Each shape is looked for only in texts holding one of its strings (a speed-up): these cases
would fail if a string were not one that every text of the shape holds.
"""

from __future__ import annotations

import pytest

from builder.lint.secrets import secret_kind

ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "a private key"),
        ("AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"),
        ("ASIAIOSFODNN7EXAMPLE", "an AWS access key ID"),
        ("AROAIOSFODNN7EXAMPLE", "an AWS access key ID"),
        ("ghp_" + ALNUM[:36], "a GitHub token"),
        ("ghs_" + ALNUM[:36], "a GitHub token"),
        ("github_pat_" + ALNUM[:22], "a GitHub token"),
        ("glpat-" + ALNUM[:20], "a GitLab token"),
        ("xoxb-0123456789-abcdef", "a Slack token"),
        ("https://hooks.slack.com/services/T0123/B0456/abcDEF", "a Slack webhook URL"),
        ("npm_" + ALNUM[:36], "an npm token"),
        ("pypi-AgEIcHlwaS5vcmc" + ALNUM[:50], "a PyPI token"),
        ("sk_live_" + ALNUM[:20], "a Stripe secret key"),
        ("rk_live_" + ALNUM[:20], "a Stripe secret key"),
        ("AIza" + ALNUM[:35], "a Google API key"),
        ("sk-" + ALNUM[:32], "an OpenAI API key"),
        ("sk-proj-" + ALNUM[:32], "an OpenAI API key"),
        ("https://deploy:s3cr3t@git.example.com/repo.git", "a password in a URL"),
    ],
)
def test_each_shape_is_found_in_a_longer_text(value: str, kind: str) -> None:
    assert secret_kind(f"curl -H 'X: {value}' https://example.com && echo done") == kind


@pytest.mark.parametrize(
    "text",
    [
        "apt-get install -y curl",
        "https://user:${PASSWORD}@example.com",
        "https://user:changeme@example.com",
        "ghp_tooshort",
        "task-" + ALNUM[:32],  # `sk-` inside a word
    ],
)
def test_harmless_texts(text: str) -> None:
    assert secret_kind(text) is None
