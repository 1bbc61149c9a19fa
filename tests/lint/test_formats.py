"""Output formats, byte for byte; SARIF also against the SARIF 2.1.0 schema. The report has a
finding of every level, so a writer that reports an error as a warning (or style as info) fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from realparts import dev_module

from builder.lint.formats import render
from builder.lint.model import Finding, Severity
from builder.lint.runner import FileReport, LintReport, LintTarget

TEXT = "FROM debian\nRUN\tcd /x && make\nMAINTAINER me\nLABEL invalid-key=1\n"
REPORT = LintReport(
    (
        FileReport(
            LintTarget("svc/Dockerfile"),
            TEXT,
            (
                Finding("svc/Dockerfile", 1, 1, "DL3006", Severity.WARNING, "Always tag"),
                Finding("svc/Dockerfile", 2, 5, "DL3003", Severity.INFO, 'Use "WORKDIR", 100%'),
                Finding("svc/Dockerfile", 3, 1, "DL4000", Severity.ERROR, "MAINTAINER is gone"),
                Finding("svc/Dockerfile", 4, 7, "DL3048", Severity.STYLE, "Invalid label key."),
            ),
        ),
        FileReport(LintTarget("clean/Dockerfile"), "FROM scratch\n"),
    )
)


def test_text_shows_the_line_and_a_caret() -> None:
    assert render(REPORT, "text") == (
        "svc/Dockerfile:1:1: DL3006 warning: Always tag\n"
        " 1 | FROM debian\n"
        "   | ^\n"
        'svc/Dockerfile:2:5: DL3003 info: Use "WORKDIR", 100%\n'
        " 2 | RUN cd /x && make\n"
        "   |     ^\n"
        "svc/Dockerfile:3:1: DL4000 error: MAINTAINER is gone\n"
        " 3 | MAINTAINER me\n"
        "   | ^\n"
        "svc/Dockerfile:4:7: DL3048 style: Invalid label key.\n"
        " 4 | LABEL invalid-key=1\n"
        "   |       ^\n"
        "\n"
        "4 problems (1 error, 1 warning, 1 info, 1 style) in 1 file\n"
    )


def test_text_is_empty_when_clean() -> None:
    assert render(LintReport((FileReport(LintTarget("D"), "FROM scratch\n"),)), "text") == ""


def test_json_carries_hadolints_level_beside_severity() -> None:
    assert json.loads(render(REPORT, "json")) == [
        {
            "file": "svc/Dockerfile",
            "line": 1,
            "column": 1,
            "code": "DL3006",
            "severity": "warning",
            "level": "warning",
            "message": "Always tag",
        },
        {
            "file": "svc/Dockerfile",
            "line": 2,
            "column": 5,
            "code": "DL3003",
            "severity": "info",
            "level": "info",
            "message": 'Use "WORKDIR", 100%',
        },
        {
            "file": "svc/Dockerfile",
            "line": 3,
            "column": 1,
            "code": "DL4000",
            "severity": "error",
            "level": "error",
            "message": "MAINTAINER is gone",
        },
        {
            "file": "svc/Dockerfile",
            "line": 4,
            "column": 7,
            "code": "DL3048",
            "severity": "style",
            "level": "style",
            "message": "Invalid label key.",
        },
    ]


def test_github_annotations_escape_data_and_properties() -> None:
    assert render(REPORT, "github") == (
        "::warning file=svc/Dockerfile,line=1,col=1,title=DL3006::DL3006 Always tag\n"
        '::notice file=svc/Dockerfile,line=2,col=5,title=DL3003::DL3003 Use "WORKDIR", 100%25\n'
        "::error file=svc/Dockerfile,line=3,col=1,title=DL4000::DL4000 MAINTAINER is gone\n"
        "::notice file=svc/Dockerfile,line=4,col=7,title=DL3048::DL3048 Invalid label key.\n"
    )


def test_checkstyle_lists_every_file() -> None:
    assert render(REPORT, "checkstyle") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<checkstyle version="4.3">\n'
        '  <file name="svc/Dockerfile">\n'
        '    <error line="1" column="1" severity="warning" message="Always tag" '
        'source="DL3006"/>\n'
        '    <error line="2" column="5" severity="info" message="Use &quot;WORKDIR&quot;, 100%" '
        'source="DL3003"/>\n'
        '    <error line="3" column="1" severity="error" message="MAINTAINER is gone" '
        'source="DL4000"/>\n'
        '    <error line="4" column="7" severity="info" message="Invalid label key." '
        'source="DL3048"/>\n'
        "  </file>\n"
        '  <file name="clean/Dockerfile">\n'
        "  </file>\n"
        "</checkstyle>\n"
    )


SCHEMA = Path(__file__).parent / "sarif-2.1.0-subset.schema.json"


def test_sarif_is_valid_against_the_schema() -> None:
    jsonschema = dev_module("jsonschema")
    log = json.loads(render(REPORT, "sarif"))
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("DL3006", "warning"),
        ("DL3003", "note"),
        ("DL4000", "error"),
        ("DL3048", "note"),
    ]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "svc/Dockerfile"},
        "region": {"startLine": 2, "startColumn": 5},
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["DL3003", "DL3006", "DL3048", "DL4000"]
    assert [r["ruleIndex"] for r in results] == [1, 0, 3, 2]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules}
    assert levels == {"DL3003": "warning", "DL3006": "warning", "DL3048": "note", "DL4000": "error"}


def test_sarif_schema_subset_rejects_what_code_scanning_rejects() -> None:
    jsonschema = dev_module("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    log = json.loads(render(REPORT, "sarif"))
    log["runs"][0]["results"][0]["level"] = "info"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
    log = json.loads(render(REPORT, "sarif"))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)


def test_sarif_rule_of_a_shellcheck_code_points_at_its_wiki() -> None:
    jsonschema = dev_module("jsonschema")
    finding = Finding("D", 2, 1, "SC2086", Severity.INFO, "Double quote to prevent globbing.")
    log = json.loads(render(LintReport((FileReport(LintTarget("D"), "", (finding,)),)), "sarif"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft7Validator)
    assert log["runs"][0]["tool"]["driver"]["rules"] == [
        {
            "id": "SC2086",
            "shortDescription": {"text": "ShellCheck SC2086, in a RUN script."},
            "helpUri": "https://www.shellcheck.net/wiki/SC2086",
        }
    ]
