"""Use `key=value` in ENV and LABEL, not the legacy `key value` form.

## What it does
Reports `ENV key value` and `LABEL key value`, the whitespace-separated form Docker keeps only
for compatibility. This is BuildKit's `LegacyKeyValueFormat` check, reported as
`docker build --check` does. Fixable: `--fix` rewrites it as `key=value`, in double quotes when
the value has spaces.

## Why is this bad?
The legacy form sets one variable per instruction and takes the whole rest of the line as the
value: `ENV A 1 B 2` sets `A` to `1 B 2`, which is rarely what the author meant.

## Example
```dockerfile
ENV JAVA_HOME /opt/java
ENV GREETING hello world
```

## Use instead
```dockerfile
ENV JAVA_HOME=/opt/java
ENV GREETING="hello world"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.buildkitsyntax import name_values
from builder.lint.model import BuildkitCheck, Edit, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("ENV", "LABEL") or instruction.stage < 0:
            continue
        pairs = name_values(instruction.arguments, dockerfile.escape) or []
        if any(pair.legacy for pair in pairs):
            keyword = instruction.written_keyword
            yield RuleHit(
                instruction.line,
                f'"{keyword} key=value" should be used instead of legacy "{keyword} key value" '
                "format",
                fix=_key_equals_value(instruction),
            )


def _key_equals_value(instruction: Instruction) -> Edit | None:
    parts = instruction.arguments.split(None, 1)
    if not parts or instruction.heredocs:
        return None
    key = parts[0]
    value = parts[1].strip() if len(parts) > 1 else ""
    if value and not _is_one_word(value):
        if any(char in value for char in "\\\"'"):
            return None  # quoting would change how Docker reads the escapes and quotes
        value = f'"{value}"'
    indent = instruction.text[: len(instruction.text) - len(instruction.text.lstrip(" \t"))]
    text = f"{indent}{instruction.written_keyword} {key}={value}\n"
    return Edit(instruction.line, instruction.end_line, text)


def _is_one_word(value: str) -> bool:
    """True when the value needs no quotes: no blanks, or already quoted as a whole."""
    if not any(char.isspace() for char in value):
        return True
    quote = value[0]
    return quote in "\"'" and value.endswith(quote) and value.count(quote) == 2


RULE = Rule(
    code="IB004",
    severity=Severity.STYLE,
    summary="Use `key=value` in ENV and LABEL, not the legacy `key value` form",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
    buildkit=BuildkitCheck("LegacyKeyValueFormat"),
)
