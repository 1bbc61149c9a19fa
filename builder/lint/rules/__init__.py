"""The one table of every lint rule: code -> module under builder.lint.rules.

Rules are imported lazily from this table, so linting one file imports only what runs.
`tests/lint/test_registry.py` checks that every module here is listed and every code unique.
Keep the table sorted by code; add one line per rule.
"""

from __future__ import annotations

RULE_MODULES: dict[str, str] = {
    # DL rules (hadolint-compatible)
    "DL3013": "dl3013",
    "DL3014": "dl3014",
    "DL3015": "dl3015",
    "DL3016": "dl3016",
    "DL3018": "dl3018",
    "DL3019": "dl3019",
    "DL3020": "dl3020",
    "DL3021": "dl3021",
    "DL3022": "dl3022",
    "DL3023": "dl3023",
    "DL3024": "dl3024",
    "DL3025": "dl3025",
    "DL3026": "dl3026",
    "DL3027": "dl3027",
    "DL3028": "dl3028",
    "DL3029": "dl3029",
    "DL3049": "dl3049",
    "DL3050": "dl3050",
    "DL3051": "dl3051",
    "DL3052": "dl3052",
    "DL3053": "dl3053",
    "DL3054": "dl3054",
    "DL3055": "dl3055",
    "DL3056": "dl3056",
    "DL3057": "dl3057",
    "DL3058": "dl3058",
    "DL3059": "dl3059",
    "DL3060": "dl3060",
    "DL3061": "dl3061",
    "DL3062": "dl3062",
    "DL3063": "dl3063",
    "DL3064": "dl3064",
    "DL3065": "dl3065",
    "DL3066": "dl3066",
    "DL3067": "dl3067",
    "DL4000": "dl4000",
    "DL4001": "dl4001",
    "DL4003": "dl4003",
    "DL4004": "dl4004",
    "DL4005": "dl4005",
    "DL4006": "dl4006",
    # IB rules (imgbuild's own)
}
