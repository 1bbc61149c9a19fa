"""Where the shared lint data lives (`../shared/lint` beside the repository), for the harnesses.

The data stays there; tests that need it skip with a clear reason where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = (Path(__file__).parents[2] / "../shared/lint").resolve()
CASES = SHARED / "hadolint_cases.jsonl"
CORPUS = SHARED / "corpus"
CORPUS_FINDINGS = SHARED / "corpus_hadolint_findings.json"
RULES = SHARED / "hadolint_rules.json"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared lint data not found at {path} (it lives outside the repository)")
    return path


def corpus_files() -> list[Path]:
    """Every Dockerfile of the corpus (the .tsv indexes are not Dockerfiles)."""
    require(CORPUS)
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
