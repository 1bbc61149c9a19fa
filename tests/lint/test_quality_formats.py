"""codeclimate, gitlab_codeclimate and sonarqube: each checked against the fields its consumer
documents, with a finding of every level, and against hadolint's own output for one finding."""

from __future__ import annotations

import json
from typing import Any

from realparts import dev_module

from builder.lint.formats import render
from builder.lint.model import Finding, Severity
from builder.lint.runner import FileReport, LintReport, LintTarget

FINDINGS = (
    Finding("svc/Dockerfile", 1, 1, "DL3006", Severity.WARNING, "Always tag"),
    Finding("svc/Dockerfile", 2, 5, "DL3003", Severity.INFO, 'Use "WORKDIR", 100% é'),
    Finding("svc/Dockerfile", 3, 1, "DL4000", Severity.ERROR, "MAINTAINER is gone"),
    Finding("svc/Dockerfile", 4, 7, "DL3048", Severity.STYLE, "Invalid label key."),
)
REPORT = LintReport(
    (
        FileReport(LintTarget("svc/Dockerfile"), "", FINDINGS),
        FileReport(LintTarget("clean/Dockerfile"), "FROM scratch\n"),
    )
)

# Code Climate's engine specification (codeclimate/platform, spec/analyzers/SPEC.md): an issue.
_LINES = {
    "type": "object",
    "required": ["begin", "end"],
    "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer"}},
}
CODECLIMATE_ISSUE = {
    "type": "object",
    "required": ["type", "check_name", "description", "categories", "location"],
    "properties": {
        "type": {"const": "issue"},
        "check_name": {"type": "string"},
        "description": {"type": "string"},
        "categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "enum": [
                    "Bug Risk",
                    "Clarity",
                    "Compatibility",
                    "Complexity",
                    "Duplication",
                    "Performance",
                    "Security",
                    "Style",
                ]
            },
        },
        "location": {
            "type": "object",
            "required": ["path", "lines"],
            "properties": {"path": {"type": "string"}, "lines": _LINES},
        },
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
    },
}
# GitLab's Code Quality report (docs.gitlab.com, ci/testing/code_quality): a JSON array of issues
# with these required fields.
GITLAB_REPORT = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string"},
            "check_name": {"type": "string"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {"path": {"type": "string"}, "lines": _LINES},
            },
        },
    },
}
# SonarQube's generic issue import format (docs.sonarsource.com, importing external issues).
SONARQUBE_REPORT = {
    "type": "object",
    "required": ["issues"],
    "properties": {
        "issues": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["engineId", "ruleId", "severity", "type", "primaryLocation"],
                "properties": {
                    "engineId": {"type": "string"},
                    "ruleId": {"type": "string"},
                    "severity": {"enum": ["BLOCKER", "CRITICAL", "MAJOR", "MINOR", "INFO"]},
                    "type": {"enum": ["BUG", "VULNERABILITY", "CODE_SMELL"]},
                    "primaryLocation": {
                        "type": "object",
                        "required": ["message", "filePath"],
                        "properties": {
                            "message": {"type": "string"},
                            "filePath": {"type": "string"},
                            "textRange": {
                                "type": "object",
                                "required": ["startLine"],
                                "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "endLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 0},
                                    "endColumn": {"type": "integer", "minimum": 0},
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}


def _validate(document: Any, schema: dict[str, Any]) -> None:
    jsonschema = dev_module("jsonschema")
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)


def test_codeclimate_is_a_nul_terminated_stream_of_issues() -> None:
    output = render(REPORT, "codeclimate")
    assert output.endswith("\0")
    issues = [json.loads(chunk) for chunk in output.split("\0")[:-1]]
    for issue in issues:
        _validate(issue, CODECLIMATE_ISSUE)
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("DL3006", "major"),
        ("DL3003", "info"),
        ("DL4000", "blocker"),
        ("DL3048", "minor"),
    ]
    assert issues[1]["location"] == {"path": "svc/Dockerfile", "lines": {"begin": 2, "end": 2}}
    assert issues[1]["description"] == 'Use "WORKDIR", 100% é'


def test_gitlab_codeclimate_is_an_array_with_unique_fingerprints() -> None:
    issues = json.loads(render(REPORT, "gitlab_codeclimate"))
    _validate(issues, GITLAB_REPORT)
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("DL3006", "major"),
        ("DL3003", "info"),
        ("DL4000", "blocker"),
        ("DL3048", "minor"),
    ]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_fingerprint_is_hadolints() -> None:
    """hadolint 2.15.1 -f gitlab_codeclimate, `FROM debian` in a file named D."""
    finding = Finding(
        "D", 1, 1, "DL3006", Severity.WARNING, "Always tag the version of an image explicitly"
    )
    report = LintReport((FileReport(LintTarget("D"), "FROM debian\n", (finding,)),))
    assert render(report, "gitlab_codeclimate") == (
        '[{"categories":["Bug Risk"],"check_name":"DL3006","description":"Always tag the '
        'version of an image explicitly","fingerprint":"94854a44d82c5df629a88550dd2eb062c7268c6b",'
        '"location":{"lines":{"begin":1,"end":1},"path":"D"},"severity":"major","type":"issue"}]\n'
    )


def test_sonarqube_generic_issues() -> None:
    document = json.loads(render(REPORT, "sonarqube"))
    _validate(document, SONARQUBE_REPORT)
    issues = document["issues"]
    assert [(i["ruleId"], i["severity"], i["type"]) for i in issues] == [
        ("DL3006", "MAJOR", "CODE_SMELL"),
        ("DL3003", "MINOR", "CODE_SMELL"),
        ("DL4000", "CRITICAL", "BUG"),
        ("DL3048", "INFO", "CODE_SMELL"),
    ]
    assert issues[3]["primaryLocation"] == {
        "message": "Invalid label key.",
        "filePath": "svc/Dockerfile",
        "textRange": {"startLine": 4, "endLine": 4, "startColumn": 6, "endColumn": 7},
    }


def test_empty_reports() -> None:
    clean = LintReport((FileReport(LintTarget("D"), "FROM scratch\n"),))
    assert render(clean, "codeclimate") == ""
    assert render(clean, "gitlab_codeclimate") == "[]\n"
    assert render(clean, "sonarqube") == '{"issues":[]}\n'


def test_every_format_is_an_option_choice_and_has_a_renderer() -> None:
    from builder.cli.options import OPTIONS
    from builder.lint.formatnames import FORMATS

    assert tuple(OPTIONS["lint.format"].settings["type"].choices) == FORMATS
    for name in FORMATS:
        render(LintReport(()), name)  # a name without a renderer raises KeyError
