"""Output formats, byte for byte; SARIF also against the SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from realparts import dev_module

from builder.lint.formats import render
from builder.lint.model import Finding, Severity
from builder.lint.runner import FileReport, LintReport, LintTarget

TEXT = "FROM debian\nRUN\tcd /x && make\n"
REPORT = LintReport(
    (
        FileReport(
            LintTarget("svc/Dockerfile"),
            TEXT,
            (
                Finding("svc/Dockerfile", 1, 1, "DL3006", Severity.WARNING, "Always tag"),
                Finding("svc/Dockerfile", 2, 5, "DL3003", Severity.INFO, 'Use "WORKDIR", 100%'),
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
        "\n"
        "2 problems (1 warning, 1 info) in 1 file\n"
    )


def test_text_is_empty_when_clean() -> None:
    assert render(LintReport((FileReport(LintTarget("D"), "FROM scratch\n"),)), "text") == ""


def test_json() -> None:
    assert json.loads(render(REPORT, "json")) == [
        {
            "file": "svc/Dockerfile",
            "line": 1,
            "column": 1,
            "code": "DL3006",
            "severity": "warning",
            "message": "Always tag",
        },
        {
            "file": "svc/Dockerfile",
            "line": 2,
            "column": 5,
            "code": "DL3003",
            "severity": "info",
            "message": 'Use "WORKDIR", 100%',
        },
    ]


def test_github_annotations_escape_data_and_properties() -> None:
    assert render(REPORT, "github") == (
        "::warning file=svc/Dockerfile,line=1,col=1,title=DL3006::DL3006 Always tag\n"
        '::notice file=svc/Dockerfile,line=2,col=5,title=DL3003::DL3003 Use "WORKDIR", 100%25\n'
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
    ]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "svc/Dockerfile"},
        "region": {"startLine": 2, "startColumn": 5},
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["DL3003", "DL3006"]
    assert [r["ruleIndex"] for r in results] == [1, 0]


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
