"""Render a LintReport: text, json, sarif (2.1.0), github (workflow annotations), checkstyle,
and the code-quality formats of `builder.lint.quality_formats` (codeclimate, gitlab_codeclimate,
sonarqube).

Each renderer returns the whole output as one string; the CLI only prints it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from builder.lint.model import Finding, Severity
from builder.lint.runner import INTERNAL_CODE, PARSE_ERROR_CODE, LintReport

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}
_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}
_CHECKSTYLE_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}
_FRAMEWORK_SUMMARIES = {
    PARSE_ERROR_CODE: "The file could not be parsed as a Dockerfile.",
    INTERNAL_CODE: "A rule failed on this file (a bug in imgbuild).",
}


def render(report: LintReport, fmt: str) -> str:
    renderers: dict[str, Callable[[LintReport], str]] = {
        "text": render_text,
        "json": render_json,
        "sarif": render_sarif,
        "github": render_github,
        "checkstyle": render_checkstyle,
    }
    if fmt in renderers:
        return renderers[fmt](report)
    from builder.lint import quality_formats  # hashlib and friends only when asked for

    quality: dict[str, Callable[[LintReport], str]] = {
        "codeclimate": quality_formats.render_codeclimate,
        "gitlab_codeclimate": quality_formats.render_gitlab_codeclimate,
        "sonarqube": quality_formats.render_sonarqube,
    }
    return quality[fmt](report)


def render_text(report: LintReport) -> str:
    """`file:line:column: CODE severity: message`, then the line and a caret under the column."""
    out: list[str] = []
    for file in report.files:
        lines = file.text.splitlines()
        for finding in file.findings:
            out.append(
                f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
                f"{finding.severity.value}: {finding.message}"
            )
            if 0 < finding.line <= len(lines):
                source = lines[finding.line - 1].expandtabs(4).rstrip()
                number = str(finding.line)
                out.append(f" {number} | {source}")
                out.append(f" {' ' * len(number)} | {' ' * (finding.column - 1)}^")
    findings = report.findings
    if findings:
        out.append("")
        out.append(_summary(findings, len({f.path for f in findings})))
    return "\n".join(out) + ("\n" if out else "")


def _summary(findings: list[Finding], files: int) -> str:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    parts = [f"{count} {severity.value}" for severity, count in counts.items() if count]
    noun = "problem" if len(findings) == 1 else "problems"
    where = "1 file" if files == 1 else f"{files} files"
    return f"{len(findings)} {noun} ({', '.join(parts)}) in {where}"


def render_json(report: LintReport) -> str:
    """hadolint's JSON rows (its `level`), with `severity` kept beside it for our own readers."""
    rows = [
        {
            "file": f.path,
            "line": f.line,
            "column": f.column,
            "code": f.code,
            "severity": f.severity.value,
            "level": f.severity.value,
            "message": f.message,
        }
        for f in report.findings
    ]
    return json.dumps(rows, indent=2) + "\n"


def render_github(report: LintReport) -> str:
    """GitHub Actions workflow commands: `::warning file=F,line=L,col=C,title=CODE::message`."""
    out = []
    for f in report.findings:
        level = _GITHUB_LEVELS.get(f.severity, "notice")
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("title", f.code),
            )
        )
        out.append(f"::{level} {properties}::{_escape_data(f'{f.code} {f.message}')}")
    return "".join(line + "\n" for line in out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_checkstyle(report: LintReport) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">']
    for file in report.files:
        out.append(f"  <file name={_attribute(file.target.display)}>")
        for f in file.findings:
            severity = _CHECKSTYLE_LEVELS.get(f.severity, "info")
            out.append(
                f'    <error line="{f.line}" column="{f.column}" severity="{severity}" '
                f"message={_attribute(f.message)} source={_attribute(f.code)}/>"
            )
        out.append("  </file>")
    out.append("</checkstyle>")
    return "\n".join(out) + "\n"


def _attribute(text: str) -> str:
    """An XML attribute value, quoted (xml.sax.saxutils would import urllib and http)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{escaped}"'


def render_sarif(report: LintReport) -> str:
    from builder import __version__

    codes = sorted({f.code for f in report.findings})
    index = {code: position for position, code in enumerate(codes)}
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVELS.get(f.severity, "note"),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    }
                }
            ],
        }
        for f in report.findings
    ]
    log = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "imgbuild",
                        "version": __version__,
                        "informationUri": "https://github.com/hadolint/hadolint#rules",
                        "rules": [_sarif_rule(code) for code in codes],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _sarif_rule(code: str) -> dict[str, object]:
    from builder.lint.registry import is_known, load_rule

    if code.startswith("SC"):
        from builder.lint.shellcheck import WIKI

        summary = f"ShellCheck {code}, in a RUN script."
        return {
            "id": code,
            "shortDescription": {"text": summary},
            "helpUri": WIKI.format(code=code),
        }
    if not is_known(code):
        summary = _FRAMEWORK_SUMMARIES.get(code, code)
        return {"id": code, "shortDescription": {"text": summary}}
    rule = load_rule(code)
    entry: dict[str, object] = {
        "id": code,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _SARIF_LEVELS.get(rule.severity, "note")},
    }
    if rule.explanation:
        entry["help"] = {"text": rule.explanation, "markdown": rule.explanation}
    return entry


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")
