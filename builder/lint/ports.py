"""EXPOSE's ports as BuildKit reads them (`convert_expose.go`), for its two EXPOSE checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.dispatch import expansion, steps

_PROTOCOLS = frozenset({"", "tcp", "udp", "sctp"})


@dataclass(frozen=True)
class ExposedPort:
    instruction: Instruction
    written: str  # the port as expanded: `127.0.0.1:80:80/TCP`
    protocol: str  # as written: `TCP`
    maps_host: bool  # it names an IP address or a host port


def exposed_ports(dockerfile: Dockerfile) -> Iterator[ExposedPort]:
    """Every port of every EXPOSE, its variables expanded; up to the first BuildKit refuses."""
    for step in steps(dockerfile):
        if step.instruction.keyword != "EXPOSE":
            continue
        for word in step.instruction.arguments.split():
            expanded = expansion(word, step.env, dockerfile.escape)
            if expanded is None:
                break
            for port in expanded.words:
                parsed = _port(step.instruction, port)
                if parsed is None:
                    return  # BuildKit fails the build on it
                yield parsed


def _port(instruction: Instruction, written: str) -> ExposedPort | None:
    parts = written.split(":")
    container = parts[-1]
    address = ":".join(parts[:-2])  # `[::1]:8080:80` -> `[::1]`
    host_port = parts[-2] if len(parts) > 1 else ""
    maps_host = bool(address or host_port)
    number, _, protocol = container.partition("/")
    if not number or protocol.lower() not in _PROTOCOLS:
        return None
    return ExposedPort(instruction, written, protocol, maps_host)
