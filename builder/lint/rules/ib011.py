"""Credential-looking value or file put into the image.

## What it does
Reports ENV, ARG and LABEL values and RUN scripts holding something shaped like a credential
(a private key, an AWS access key ID, a GitHub, GitLab, Slack, npm, PyPI, Stripe, Google or
OpenAI token, a password in a URL), and `COPY`/`ADD` of files that usually hold credentials
(`id_rsa`, `*.key`, private `*.pem`, `.npmrc`, `.pypirc`, `.netrc`, `.env`, `credentials`).
The finding names the kind of secret, never its value.

## Why is this bad?
Everything in an image, its configuration and its build history can be read by anyone who
can pull it, and removing a file in a later layer does not remove it from the earlier one.

## Example
```dockerfile
ENV GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz
COPY .npmrc /root/.npmrc
RUN npm ci
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    npm ci
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runscript import argument_words, run_script
from builder.lint.secrets import is_secret_file, secret_kind


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        message = _problem(instruction)
        if message is not None:
            yield RuleHit(instruction.line, message)


def _problem(instruction: Instruction) -> str | None:
    keyword = instruction.keyword
    if keyword in ("ENV", "LABEL", "ARG"):
        pairs = (
            [(name, value or "") for name, value in parse_arg(instruction.arguments).items()]
            if keyword == "ARG"
            else key_value_pairs(instruction.arguments)
        )
        for name, value in pairs:
            kind = secret_kind(value)
            if kind is not None:
                return f"{keyword} `{name}` holds what looks like {kind}"
    elif keyword == "RUN":
        kind = secret_kind(run_script(instruction))
        if kind is not None:
            return f"RUN script holds what looks like {kind}; it stays in the image history"
    elif keyword in ("COPY", "ADD") and not instruction.heredocs:
        for source in argument_words(instruction.arguments)[:-1]:
            if is_secret_file(source):
                return f"{keyword} of '{source}', a file that usually holds credentials"
    return None


RULE = Rule(
    code="IB011",
    severity=Severity.ERROR,
    summary="Credential-looking value or file put into the image",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
