"""IB011: credentials set or copied into the image."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_github_token_in_env(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nENV GH=ghp_0123456789abcdefghijklmnopqrstuvwxyz\n") == [2]


def test_catches_aws_key_in_arg_default(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nARG KEY_ID=AKIAIOSFODNN7EXAMPLE\n") == [2]


def test_catches_private_key_in_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", 'FROM a:1\nLABEL k="-----BEGIN RSA PRIVATE KEY-----"\n') == [2]


def test_catches_password_in_url(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "IB011", "FROM a:1\nRUN git clone https://bot:hunter22@git.example.com/r.git\n"
    ) == [2]


def test_catches_copy_of_ssh_key(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nCOPY id_rsa /root/.ssh/id_rsa\n") == [2]


def test_catches_copy_of_npmrc(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nCOPY .npmrc package.json ./\n") == [2]


def test_catches_copy_of_private_pem(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nCOPY tls/server-key.pem /etc/tls/\n") == [2]


def test_passes_copy_of_certificate(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nCOPY ca-cert.pem /etc/ssl/certs/\n") == []


def test_passes_env_example(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nCOPY .env.example /app/\n") == []


def test_passes_password_from_a_variable(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nRUN curl https://u:${PASS}@x.org/f\n") == []


def test_passes_harmless_values(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nENV TOKEN_URL=https://auth.example.com/token\n") == []


def test_catches_onbuild_trigger(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB011", "FROM a:1\nONBUILD COPY id_rsa /root/.ssh/\n") == [2]


def test_never_shows_the_value(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages(
        "IB011", "FROM a:1\nENV GH=ghp_0123456789abcdefghijklmnopqrstuvwxyz\n"
    ) == ["ENV `GH` holds what looks like a GitHub token"]
