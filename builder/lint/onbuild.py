"""The view of a Dockerfile that its ONBUILD triggers see.

`ONBUILD RUN x` runs `RUN x` later, in the build of an image based on this one. Rules marked
`applies_in_onbuild` are run a second time over this view, so `ONBUILD RUN sudo ...` is caught
exactly like `RUN sudo ...` and no rule handles ONBUILD itself. The view keeps every line number:
lines outside ONBUILD instructions are blanked (comments kept), and the `ONBUILD ` prefix is
removed from the first line of each trigger. It has no FROM and so no stages, because the triggers
run in another build, as in hadolint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from builder.dockerfile import Dockerfile, parse_dockerfile
from builder.lint.model import Edit

_PREFIX = r"^([ \t]*)(onbuild[ \t]+)"  # compiled on first use: few files have ONBUILD


class OnbuildView(NamedTuple):  # not a dataclass: cheaper to define at every lint's start
    dockerfile: Dockerfile
    # first line of each trigger -> the `ONBUILD ` text removed from it
    prefixes: Mapping[int, str]

    def restore(self, edit: Edit) -> Edit:
        """An edit made in the view, made to the real file (the ONBUILD prefix put back)."""
        prefix = self.prefixes.get(edit.line)
        if prefix is None:
            return edit
        indent = len(edit.text) - len(edit.text.lstrip(" \t"))
        return Edit(edit.line, edit.end_line, edit.text[:indent] + prefix + edit.text[indent:])


def onbuild_view(dockerfile: Dockerfile) -> OnbuildView | None:
    """The triggers of the file's ONBUILD instructions, or None when it has none."""
    triggers = [i for i in dockerfile.instructions if i.keyword == "ONBUILD"]
    if not triggers:
        return None
    lines = dockerfile.text.splitlines(keepends=True)
    kept = [line if line.lstrip().startswith("#") else _ending(line) for line in lines]
    prefixes: dict[int, str] = {}
    for trigger in triggers:
        first = trigger.line - 1
        kept[first : trigger.end_line] = lines[first : trigger.end_line]
        match = re.match(_PREFIX, lines[first], re.IGNORECASE) if first < len(lines) else None
        if match is not None:
            prefixes[trigger.line] = match.group(2)
            kept[first] = match.group(1) + lines[first][match.end() :]
    view = parse_dockerfile("".join(kept), dockerfile.path)
    return OnbuildView(view, prefixes)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]
