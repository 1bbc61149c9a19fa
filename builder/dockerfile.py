"""A read-only model of a Dockerfile, parsed with dockerfile-parse.

dockerfile-parse gives a flat list of instructions; this module adds what both the graph and the
linter need and the parser lacks: heredoc bodies (which the parser splits into bogus
instructions), leading flags (`--from=`, `--mount=`), stages with their names and bases, the ARGs
declared before the first FROM, 1-based line numbers, and variable substitution as Docker does it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dockerfile_parse import DockerfileParser

from builder.errors import UsageError

_HEREDOC_RE = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_FLAG_RE = re.compile(r"--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?")
_VARIABLE_RE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass(frozen=True)
class Heredoc:
    marker: str
    body: str
    strip_tabs: bool
    line: int  # first body line, 1-based


@dataclass(frozen=True)
class Instruction:
    """One instruction; `line` and `end_line` are 1-based and include continuations."""

    keyword: str  # upper case: FROM, RUN, ...
    written_keyword: str  # as written, for the casing rules
    value: str  # everything after the keyword, continuations joined
    line: int
    end_line: int
    text: str  # the original lines, heredoc bodies included
    flags: tuple[tuple[str, str | None], ...] = ()
    arguments: str = ""  # `value` without its leading flags
    heredocs: tuple[Heredoc, ...] = ()
    stage: int = -1  # index of the stage it belongs to; -1 before the first FROM

    def flag(self, name: str) -> str | None:
        """The value of the first `--name=value` flag, or None."""
        for flag_name, flag_value in self.flags:
            if flag_name == name:
                return flag_value if flag_value is not None else ""
        return None

    def flag_values(self, name: str) -> list[str]:
        return [value or "" for flag_name, value in self.flags if flag_name == name]

    def mounts(self) -> list[dict[str, str]]:
        """The options of each `--mount=`: `type=cache,target=/x` -> {"type": "cache", ...}.

        Keys are lower-cased as BuildKit reads them; quotes around values are dropped.
        """
        found = []
        for mount in self.flag_values("mount"):
            options: dict[str, str] = {}
            for part in mount.split(","):
                key, _, value = part.partition("=")
                options[key.strip().lower()] = value.strip().strip("\"'")
            found.append(options)
        return found


@dataclass(frozen=True)
class Stage:
    index: int
    base: str  # the FROM image as written (before substitution)
    name: str | None  # the `AS name`, lower-cased as Docker does
    line: int
    platform: str | None = None
    instructions: tuple[Instruction, ...] = ()


@dataclass(frozen=True)
class Comment:
    text: str  # without the leading '#'
    line: int


@dataclass(frozen=True)
class Dockerfile:
    text: str
    path: Path | None
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    comments: tuple[Comment, ...] = ()
    global_args: Mapping[str, str | None] = field(default_factory=dict)
    escape: str = "\\"

    def stage_by_reference(self, reference: str, before: int | None = None) -> Stage | None:
        """The stage a `FROM x` / `--from=x` names (by name or index), if any."""
        limit = len(self.stages) if before is None else before
        if reference.isascii() and reference.isdigit():  # not "²", which int() rejects
            index = int(reference)
            return self.stages[index] if index < limit else None
        for stage in self.stages[:limit]:
            if stage.name == reference.lower():
                return stage
        return None

    def resolved_base(self, stage: Stage, build_args: Mapping[str, str]) -> str:
        """The stage's FROM image with ARGs substituted (build args over ARG defaults)."""
        variables = {k: v for k, v in self.global_args.items() if v is not None}
        variables.update({k: v for k, v in build_args.items() if k in self.global_args})
        return substitute(stage.base, variables)

    def needed_stages(
        self, target: str | None, build_args: Mapping[str, str], *, buildkit: bool
    ) -> tuple[Stage, ...]:
        """The stages a build of `target` (default: the last stage) runs.

        The classic builder runs every stage up to the target in file order; BuildKit only the
        target and the stages it reads, transitively (`FROM`, `COPY --from`, `RUN --mount=from`).
        Later stages are never built by either. An unknown target keeps every stage.
        """
        if not self.stages:
            return ()
        last = self.stage_by_reference(target) if target else self.stages[-1]
        if last is None:
            return self.stages
        if not buildkit:
            return self.stages[: last.index + 1]
        needed: set[int] = set()
        stack = [last]
        while stack:
            stage = stack.pop()
            if stage.index not in needed:
                needed.add(stage.index)
                stack.extend(own for _, _, own in self._references(stage, build_args) if own)
        return tuple(stage for stage in self.stages if stage.index in needed)

    def external_images(
        self, build_args: Mapping[str, str], stages: Sequence[Stage] | None = None
    ) -> list[tuple[str, int]]:
        """Every image `stages` (default: all) read that is not one of the file's own stages:
        (reference, line). FROM bases (after substitution) and `COPY --from=IMAGE` /
        `RUN --mount=from=IMAGE`.
        """
        return [
            (reference, line)
            for stage in (self.stages if stages is None else stages)
            for reference, line, own in self._references(stage, build_args)
            if own is None
        ]

    def _references(
        self, stage: Stage, build_args: Mapping[str, str]
    ) -> list[tuple[str, int, Stage | None]]:
        """What `stage` reads, (reference, line, the earlier stage it names or None), after
        substitution; `FROM scratch` reads nothing."""
        found: list[tuple[str, int, Stage | None]] = []
        base = self.resolved_base(stage, build_args)
        if base.lower() != "scratch":
            found.append((base, stage.line, self.stage_by_reference(base, stage.index)))
        variables = dict(build_args)
        for instruction in stage.instructions:
            for reference in image_sources(instruction):
                reference = substitute(reference, variables)
                own = self.stage_by_reference(reference, stage.index)
                found.append((reference, instruction.line, own))
        return found


def image_sources(instruction: Instruction) -> Iterator[str]:
    """The images an instruction reads besides its stage's base, as written: `COPY --from`,
    `ADD --from`, `RUN --mount=from=`."""
    if instruction.keyword in ("COPY", "ADD"):
        source = instruction.flag("from")
        if source:
            yield source
    if instruction.keyword == "RUN":
        for options in instruction.mounts():
            if options.get("from"):
                yield options["from"]


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """Expand $VAR, ${VAR}, ${VAR:-word}, ${VAR:+word} (and the forms without ':') like Docker."""

    def expand(match: re.Match[str]) -> str:
        name = match.group("braced") or match.group("bare")
        value = variables.get(name)
        op = match.group("op")
        if op is None:
            return value or ""
        word = substitute(match.group("word") or "", variables)
        is_set = value is not None and (value != "" or not op.startswith(":"))
        if op.endswith("-"):
            return value if is_set and value is not None else word
        return word if is_set else ""

    return _VARIABLE_RE.sub(expand, text)


def read_dockerfile(path: Path) -> Dockerfile:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise UsageError(f"cannot read the Dockerfile: {error.strerror}", path=path) from error
    return parse_dockerfile(text, path)


def parse_dockerfile(text: str, path: Path | None = None) -> Dockerfile:
    """Parse Dockerfile text into the model. Never raises on odd input."""
    clean = text.lstrip("\ufeff")
    lines = clean.splitlines(keepends=True)
    escape = _escape_directive(lines)
    parsed = _fill_empty_continuations(lines, escape).encode("utf-8", errors="replace")
    parser = DockerfileParser(fileobj=io.BytesIO(parsed))
    try:
        structure = parser.structure
    except Exception:  # the parser has no error type of its own; treat as an empty file
        structure = []
    instructions: list[Instruction] = []
    comments: list[Comment] = []
    skip_until = -1
    for item in structure:
        start, end = int(item["startline"]), int(item["endline"])
        if start <= skip_until:
            continue
        keyword = str(item["instruction"]).upper()
        if keyword == "COMMENT":
            comments.append(Comment(text=str(item["value"]), line=start + 1))
            continue
        written = _written_keyword(lines, start)
        value = str(item["value"])
        heredocs: tuple[Heredoc, ...] = ()
        if keyword in _HEREDOC_INSTRUCTIONS and "<<" in value:
            heredocs, end = _read_heredocs(value, lines, end)
            skip_until = end
        flags, arguments = _split_flags(value)
        instructions.append(
            Instruction(
                keyword=keyword,
                written_keyword=written,
                value=value,
                line=start + 1,
                end_line=end + 1,
                text="".join(lines[start : end + 1]),
                flags=flags,
                arguments=arguments,
                heredocs=heredocs,
            )
        )
    return _with_stages(clean, path, instructions, comments, escape)


def _fill_empty_continuations(lines: list[str], escape: str) -> str:
    """The text with each empty line inside a continued instruction made a lone escape char.

    Docker skips empty lines in a continuation (BuildKit warns: NoEmptyContinuation), but
    dockerfile-parse ends the instruction there. A lone escape character keeps the instruction
    going on the same line numbers.
    """
    filled: list[str] = []
    continuing = False
    for line in lines:
        content = line.rstrip("\r\n")
        if continuing and not content.strip():
            filled.append(escape + line[len(content) :])
            continue
        if content.lstrip().startswith("#"):  # comments neither continue nor end anything
            filled.append(line)
            continue
        continuing = content.rstrip().endswith(escape)
        filled.append(line)
    return "".join(filled)


def _escape_directive(lines: list[str]) -> str:
    for line in lines:
        match = re.match(r"^\s*#\s*escape\s*=\s*(\S)", line, re.IGNORECASE)
        if match:
            return match.group(1)
        if not re.match(r"^\s*#\s*\w+\s*=", line):
            break
    return "\\"


def _written_keyword(lines: list[str], start: int) -> str:
    if start >= len(lines):
        return ""
    match = re.match(r"\s*(\S+)", lines[start])
    return match.group(1) if match else ""


def _read_heredocs(value: str, lines: list[str], end: int) -> tuple[tuple[Heredoc, ...], int]:
    heredocs = []
    cursor = end + 1
    for match in _HEREDOC_RE.finditer(value):
        strip_tabs, marker = match.group(1) == "-", match.group(3)
        body_start = cursor
        body: list[str] = []
        while cursor < len(lines):
            line = lines[cursor]
            cursor += 1
            candidate = line.rstrip("\r\n")
            if (candidate.lstrip("\t") if strip_tabs else candidate) == marker:
                break
            body.append(line)
        heredocs.append(
            Heredoc(marker=marker, body="".join(body), strip_tabs=strip_tabs, line=body_start + 1)
        )
    return tuple(heredocs), max(end, cursor - 1)


def _split_flags(value: str) -> tuple[tuple[tuple[str, str | None], ...], str]:
    flags: list[tuple[str, str | None]] = []
    rest = value.lstrip()
    while rest.startswith("--"):
        match = _FLAG_RE.match(rest)
        if match is None:
            break
        flags.append((match.group(1).lower(), match.group(2)))
        rest = rest[match.end() :].lstrip()
    return tuple(flags), rest


def _with_stages(
    text: str,
    path: Path | None,
    instructions: list[Instruction],
    comments: list[Comment],
    escape: str,
) -> Dockerfile:
    global_args: dict[str, str | None] = {}
    stages: list[Stage] = []
    members: list[list[Instruction]] = []
    placed: list[Instruction] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            stages.append(_stage(len(stages), instruction))
            members.append([])
        index = len(stages) - 1
        placed_instruction = _replace_stage(instruction, index)
        placed.append(placed_instruction)
        if index >= 0:
            members[index].append(placed_instruction)
        elif instruction.keyword == "ARG":
            global_args.update(parse_arg(instruction.arguments))
    full_stages = tuple(
        Stage(
            index=stage.index,
            base=stage.base,
            name=stage.name,
            line=stage.line,
            platform=stage.platform,
            instructions=tuple(members[stage.index]),
        )
        for stage in stages
    )
    return Dockerfile(
        text=text,
        path=path,
        instructions=tuple(placed),
        stages=full_stages,
        comments=tuple(comments),
        global_args=global_args,
        escape=escape,
    )


def _replace_stage(instruction: Instruction, index: int) -> Instruction:
    return replace(instruction, stage=index)


def _stage(index: int, instruction: Instruction) -> Stage:
    words = instruction.arguments.split()
    base = words[0] if words else ""
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    return Stage(
        index=index,
        base=base,
        name=name,
        line=instruction.line,
        platform=instruction.flag("platform"),
    )


def parse_arg(arguments: str) -> dict[str, str | None]:
    """`ARG A=1 B` -> {"A": "1", "B": None}; quotes around values are removed."""
    result: dict[str, str | None] = {}
    for word in _split_words(arguments):
        name, sep, default = word.partition("=")
        if name:
            result[name] = _unquote(default) if sep else None
    return result


def _split_words(text: str) -> list[str]:
    words = re.findall(r"(?:[^\s\"']+|\"(?:\\.|[^\"])*\"|'[^']*')+", text)
    return words


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text
