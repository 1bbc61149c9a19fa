"""The code-quality formats CI systems read, field for field as hadolint writes them.

- `codeclimate`: Code Climate's engine output, one issue object per finding, each followed by a
  NUL byte (the engine specification's stream).
- `gitlab_codeclimate`: the same issues as one JSON array, each with a `fingerprint` (the SHA-1
  of the issue's JSON, as hadolint computes it), for GitLab's Code Quality report.
- `sonarqube`: SonarQube's generic external issues (`{"issues": [...]}`).

Keys are sorted and separators compact, as hadolint's JSON library writes them, so a
fingerprint is the same as hadolint's for the same finding.
"""

from __future__ import annotations

import hashlib
import json

from builder.lint.model import Finding, Severity
from builder.lint.runner import LintReport

# Code Climate's severities (info, minor, major, critical, blocker), mapped as hadolint maps them
_CODECLIMATE_SEVERITIES = {
    Severity.ERROR: "blocker",
    Severity.WARNING: "major",
    Severity.INFO: "info",
    Severity.STYLE: "minor",
}
_SONARQUBE_SEVERITIES = {
    Severity.ERROR: "CRITICAL",
    Severity.WARNING: "MAJOR",
    Severity.INFO: "MINOR",
    Severity.STYLE: "INFO",
}


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _issue(finding: Finding) -> dict[str, object]:
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": finding.message,
        "categories": ["Bug Risk"],
        "location": {"path": finding.path, "lines": {"begin": finding.line, "end": finding.line}},
        "severity": _CODECLIMATE_SEVERITIES.get(finding.severity, ""),
    }


def render_codeclimate(report: LintReport) -> str:
    return "".join(_dumps(_issue(finding)) + "\0" for finding in report.findings)


def render_gitlab_codeclimate(report: LintReport) -> str:
    issues = []
    for finding in report.findings:
        issue = _issue(finding)
        fingerprint = hashlib.sha1(_dumps(issue).encode(), usedforsecurity=False).hexdigest()
        issues.append({**issue, "fingerprint": fingerprint})
    return _dumps(issues) + "\n"


def render_sonarqube(report: LintReport) -> str:
    issues = [
        {
            "engineId": "imgbuild",
            "ruleId": f.code,
            "severity": _SONARQUBE_SEVERITIES.get(f.severity, "INFO"),
            "type": "BUG" if f.severity is Severity.ERROR else "CODE_SMELL",
            "primaryLocation": {
                "message": f.message,
                "filePath": f.path,
                "textRange": {
                    "startLine": f.line,
                    "endLine": f.line,
                    "startColumn": f.column - 1,
                    "endColumn": f.column,
                },
            },
        }
        for f in report.findings
    ]
    return _dumps({"issues": issues}) + "\n"
