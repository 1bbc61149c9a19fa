"""Template tests run with no team template folders from the environment."""

from __future__ import annotations

import pytest

from builder.templates.discovery import ENV_VAR


@pytest.fixture(autouse=True)
def _no_template_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own IMGBUILD_TEMPLATE_PATH would shadow the built-ins under test.
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("IMGBUILD_CONFIG", raising=False)
