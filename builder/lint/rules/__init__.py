"""The one table of every lint rule: code -> module under builder.lint.rules.

Rules are imported lazily from this table, so linting one file imports only what runs.
`tests/lint/test_registry.py` checks that every module here is listed and every code unique.
Keep the table sorted by code; add one line per rule.
"""

from __future__ import annotations

RULE_MODULES: dict[str, str] = {
    # DL rules (hadolint-compatible)
    # IB rules (imgbuild's own)
}
