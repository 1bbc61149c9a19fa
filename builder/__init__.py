"""imgbuild: build, lint, scaffold and publish a graph of container images."""

from __future__ import annotations

__version__ = "0.1.0"
