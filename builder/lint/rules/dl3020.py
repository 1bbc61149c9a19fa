"""Use COPY instead of ADD for files and folders.

## What it does
Reports an ADD whose sources are local files or folders, not URLs or archives. `--fix` turns
it into COPY, keeping its flags, except where ADD-only flags (`--checksum`, `--keep-git-dir`,
`--unpack`) or a source written with a variable make the change unsafe.

## Why is this bad?
ADD also downloads URLs and unpacks archives, so a reader must wonder which it does here. COPY
does one thing: copy from the build context.

## Example
```dockerfile
ADD requirements.txt /app/
```

## Use instead
```dockerfile
COPY requirements.txt /app/
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.paths import sources_and_destination

# the archive types ADD unpacks, as hadolint lists them
ARCHIVE_SUFFIXES = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
    ".tlz", ".tpz", ".txz", ".xz",
)  # fmt: skip
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})
_KEYWORD_RE = re.compile(r"^(\s*)(add)\b", re.IGNORECASE)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "ADD" or instruction.heredocs:
            continue
        sources, _ = sources_and_destination(instruction)
        if sources and not all(_is_archive(s) or _is_url(s) for s in sources):
            yield RuleHit(instruction.line, fix=_fix(instruction, sources))


def _is_archive(source: str) -> bool:
    return source.endswith(ARCHIVE_SUFFIXES)


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _fix(instruction: Instruction, sources: list[str]) -> Edit | None:
    if any(name in _ADD_ONLY_FLAGS for name, _ in instruction.flags):
        return None
    if any("$" in source or _is_archive(source) or _is_url(source) for source in sources):
        return None
    first, newline, rest = instruction.text.partition("\n")
    match = _KEYWORD_RE.match(first)
    if match is None:
        return None
    keyword = "COPY" if match.group(2).isupper() else "copy"
    text = match.group(1) + keyword + first[match.end() :] + newline + rest
    return Edit(instruction.line, instruction.end_line, text)


RULE = Rule(
    code="DL3020",
    severity=Severity.ERROR,
    summary="Use COPY instead of ADD for files and folders",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
)
