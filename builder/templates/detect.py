"""What a destination folder already holds: whether it has code, and which stack it is.

`imgbuild new` in a folder with code (docker init's case) proposes the template that fits
what it finds and fills answers from it: the package manager from the lockfile, the Go package
and version, the Java release, the Python server from the dependencies. Detection only reads
files; every answer it suggests is a default the user can still change.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.templates.environment import command_script

# The extra variable template defaults see: true when DEST already holds code.
HAS_CODE = "dest_has_code"
# Entries that do not make a folder hold code: a fresh repository's files.
_NOT_CODE = ("README*", "LICENSE*", "COPYING*", "NOTICE*", "CHANGELOG*", "imgbuild.toml")
_NODE_LOCKFILES = (
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
    ("yarn.lock", "yarn"),
    ("pnpm-lock.yaml", "pnpm"),
)
_MAX_READ = 1_000_000  # bytes read of any one file: detection never slurps a large file


@dataclass(frozen=True)
class Detection:
    """A proposed template (None: no stack recognised) and the answers found for it."""

    template: str | None
    evidence: tuple[str, ...] = ()  # the files that told, as written in messages
    answers: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    notes: tuple[str, ...] = ()  # what the user should know before building


def holds_code(dest: Path) -> bool:
    """True when `dest` has anything but hidden entries and a fresh repository's files."""
    if not dest.is_dir():
        return False
    return any(
        not entry.name.startswith(".") and not any(fnmatch(entry.name, p) for p in _NOT_CODE)
        for entry in dest.iterdir()
    )


def detect(dest: Path) -> Detection:
    """The first stack recognised in `dest`, in the order of `_DETECTORS`."""
    if not dest.is_dir():
        return Detection(None)
    for detector in _DETECTORS:
        found = detector(dest)
        if found is not None:
            return found
    return Detection(None)


def _read(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            return stream.read(_MAX_READ).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _go(dest: Path) -> Detection | None:
    go_mod = dest / "go.mod"
    if not go_mod.is_file():
        return None
    answers: dict[str, Any] = {}
    notes: list[str] = []
    version = re.search(r"^go\s+(\d+\.\d+)", _read(go_mod), re.MULTILINE)
    if version:
        answers["go_image"] = f"golang:{version.group(1)}-bookworm"
    packages = _go_main_packages(dest)
    if packages:
        answers["package"] = packages[0]
        if len(packages) > 1:
            notes.append(
                f"several main packages ({', '.join(packages)}); building {packages[0]}"
                " (answer package to choose another)"
            )
    else:
        notes.append("no main package found (a .go file with `package main`)")
    return Detection("go", ("go.mod",), MappingProxyType(answers), tuple(notes))


def _go_main_packages(dest: Path) -> list[str]:
    """Folders holding `package main`, as Go packages: the root first, then cmd/* by name."""
    found = []
    for folder in (dest, *sorted((dest / "cmd").glob("*/"))):
        if not folder.is_dir():
            continue
        if any(
            re.search(r"^package\s+main\b", _read(path), re.MULTILINE)
            for path in sorted(folder.glob("*.go"))
            if not path.name.endswith("_test.go")
        ):
            relative = folder.relative_to(dest).as_posix()
            found.append("." if relative == "." else f"./{relative}")
    return found


def _java(dest: Path) -> Detection | None:
    pom = dest / "pom.xml"
    gradle = next(
        (dest / n for n in ("build.gradle", "build.gradle.kts") if (dest / n).is_file()), None
    )
    if not pom.is_file() and gradle is None:
        return None
    answers: dict[str, Any] = {}
    notes: list[str] = []
    text = _read(pom) if pom.is_file() else _read(gradle) if gradle else ""
    release = re.search(
        r"<(?:maven\.compiler\.release|maven\.compiler\.target|java\.version)>\s*(?:1\.)?(\d+)"
        r"|(?:JavaLanguageVersion\.of\(|sourceCompatibility\s*=\s*['\"]?(?:JavaVersion\.VERSION_)?)"
        r"(\d+)",
        text,
    )
    if release:
        java = release.group(1) or release.group(2)
        answers["maven_image"] = f"maven:3.9-eclipse-temurin-{java}"
        answers["runtime_image"] = f"eclipse-temurin:{java}-jre"
    evidence = "pom.xml" if pom.is_file() else gradle.name if gradle else ""
    if not pom.is_file():
        notes.append(
            f"{evidence}: the java template builds with Maven (pom.xml); change its build stage"
            " to run Gradle"
        )
    return Detection("java", (evidence,), MappingProxyType(answers), tuple(notes))


def _node(dest: Path) -> Detection | None:
    package_json = dest / "package.json"
    if not package_json.is_file():
        return None
    try:
        package = json.loads(_read(package_json))
    except ValueError:
        package = {}
    package = package if isinstance(package, dict) else {}
    answers: dict[str, Any] = {}
    notes: list[str] = []
    evidence = ["package.json"]
    lockfile = next(((n, m) for n, m in _NODE_LOCKFILES if (dest / n).is_file()), None)
    if lockfile is not None:
        evidence.append(lockfile[0])
        answers["package_manager"] = lockfile[1]
    else:
        declared = str(package.get("packageManager", "")).split("@")[0]
        manager = declared if declared in ("npm", "yarn", "pnpm") else "npm"
        answers["package_manager"] = manager
        notes.append(
            f"no lockfile: the Dockerfile installs from one; `{manager} install` writes it"
        )
    scripts = _table(package, "scripts")
    if "build" in scripts:
        answers["build"] = True
        answers["build_script"] = "build"
    start = str(scripts.get("start", ""))
    if re.fullmatch(r"node [A-Za-z0-9_./@ =-]+", start):
        answers["start_command"] = start
    elif isinstance(package.get("main"), str) and "build" not in scripts:
        answers["start_command"] = f"node {package['main']}"
    script = command_script(str(answers.get("start_command", "")), ".js")
    if answers.get("build") and script:
        if "/" in script.removeprefix("./"):
            answers["output_dir"] = script.removeprefix("./").split("/")[0]
        else:
            notes.append(
                f"the start command runs {script}, outside the build's output folder, which"
                " alone the image keeps: answer output_dir and start_command"
            )
    engines = _table(package, "engines")
    major = re.search(r"\d+", str(engines.get("node", "")))
    if major:
        answers["base_image"] = f"node:{major.group(0)}-bookworm-slim"
    return Detection("node", tuple(evidence), MappingProxyType(answers), tuple(notes))


def _table(document: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _python(dest: Path) -> Detection | None:
    requirements = dest / "requirements.txt"
    pyproject = dest / "pyproject.toml"
    if not requirements.is_file() and not pyproject.is_file():
        return None
    evidence = [p.name for p in (requirements, pyproject) if p.is_file()]
    names = _python_dependencies(requirements, pyproject)
    answers: dict[str, Any] = {}
    notes: list[str] = []
    if "uvicorn" in names or names & {"fastapi", "starlette"}:
        answers["server"] = "uvicorn"
    elif "gunicorn" in names or names & {"flask", "django", "falcon", "bottle", "pyramid"}:
        answers["server"] = "gunicorn"
    elif not names:
        answers["server"] = "stdlib"
    server = answers.get("server")
    if server in ("gunicorn", "uvicorn") and server not in names:
        notes.append(f"{server} is not among the dependencies; add it to requirements.txt")
    if (dest / "uv.lock").is_file():
        evidence.append("uv.lock")
        answers["installer"] = "uv"
    if not requirements.is_file() and server != "stdlib":
        notes.append(
            "no requirements.txt: the Dockerfile installs from one"
            " (`uv export --no-hashes > requirements.txt` or pip-compile writes it)"
        )
    for module in ("app", "main", "server", "wsgi", "asgi"):
        if (dest / f"{module}.py").is_file():
            answers["module"] = module
            break
    return Detection("python", tuple(evidence), MappingProxyType(answers), tuple(notes))


def _python_dependencies(requirements: Path, pyproject: Path) -> set[str]:
    """Normalised names of the dependencies in requirements.txt and pyproject.toml."""
    lines = _read(requirements).splitlines() if requirements.is_file() else []
    if pyproject.is_file():
        try:
            project = tomllib.loads(_read(pyproject)).get("project", {})
        except tomllib.TOMLDecodeError:
            project = {}
        dependencies = project.get("dependencies", []) if isinstance(project, dict) else []
        lines.extend(str(item) for item in dependencies if isinstance(dependencies, list))
    names = set()
    for line in lines:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match and not line.lstrip().startswith(("#", "-")):
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def _static(dest: Path) -> Detection | None:
    for site_dir in (".", "public", "site", "www"):
        if (dest / site_dir / "index.html").is_file():
            evidence = "index.html" if site_dir == "." else f"{site_dir}/index.html"
            answers = MappingProxyType({"site_dir": site_dir})
            return Detection("static", (evidence,), answers)
    return None


# In order: a Go, Java or Node.js project may carry a requirements.txt for its tooling, and
# every stack may carry an index.html.
_DETECTORS: tuple[Callable[[Path], Detection | None], ...] = (
    _go,
    _java,
    _node,
    _python,
    _static,
)
