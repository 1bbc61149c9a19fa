"""Image of the build graph named with a tag the graph does not produce.

## What it does
With an `imgbuild.toml`, reports a `FROM` or `COPY --from` naming an image that the graph
builds, with a tag the graph does not give it (no tag means `latest`). ARG defaults are
filled in first. References by digest are left alone.

## Why is this bad?
imgbuild orders builds by the images Dockerfiles name. With a tag it never produces, the
build does not wait for the local image: it pulls a stale one from the registry, or fails
to find it.

## Example
```dockerfile
# imgbuild.toml builds acme/base with tags 1.4 and 1.4.2
FROM acme/base:1.3
```

## Use instead
```dockerfile
FROM acme/base:1.4
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from builder.dockerfile import Dockerfile, substitute
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.variables import global_defaults, unquote
from builder.refs import parse_ref

_HUB_PREFIXES = ("docker.io/library/", "docker.io/", "index.docker.io/", "library/")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    if not context.graph_tags:
        return
    defaults = global_defaults(dockerfile)
    for stage in dockerfile.stages:
        references = [(unquote(substitute(stage.base, defaults)), stage.line)]
        for instruction in stage.instructions:
            source = instruction.flag("from") if instruction.keyword in ("COPY", "ADD") else None
            if source:
                references.append((source, instruction.line))
        for reference, line in references:
            if "$" in reference or dockerfile.stage_by_reference(reference.lower()) is not None:
                continue
            message = _unknown_tag(reference, context.graph_tags)
            if message is not None:
                yield RuleHit(line, message)


def _unknown_tag(reference: str, graph_tags: Mapping[str, frozenset[str]]) -> str | None:
    parsed = parse_ref(reference)
    if parsed is None or parsed.digest is not None:
        return None
    tags = graph_tags.get(parsed.repository)
    if tags is None:
        tags = graph_tags.get(_short(parsed.repository))
    if tags is None or parsed.tag_or_latest in tags:
        return None
    produced = ", ".join(sorted(tags)) or "none"
    return (
        f"'{reference}' is built by this project, but only with the tags: {produced}; "
        f"'{parsed.tag_or_latest}' would come from a registry"
    )


def _short(repository: str) -> str:
    for prefix in _HUB_PREFIXES:
        if repository.startswith(prefix):
            return repository[len(prefix) :]
    return repository


RULE = Rule(
    code="IB014",
    severity=Severity.ERROR,
    summary="Image of the build graph named with a tag the graph does not produce",
    check=check,
    explanation=__doc__ or "",
)
