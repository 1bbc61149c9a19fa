"""SLSA provenance v1 for a pushed digest, from what imgbuild knows of the build.

The statement records the source (repository URL, commit, dirty flag), the config file and
Dockerfile (or rendered template) by SHA-256, the build args (values that may be credentials
withheld: `public_args`) and target, the secret NAMES the build was given (never a value), each
base by the image ID the input digest used, the builder, imgbuild's and the engine's versions,
and when the build started and finished (absent when the image was not rebuilt: it was made by
an earlier run, whose times imgbuild no longer has).

An image built for several platforms has one statement per platform manifest (its platform, its
variant's input digest and bases: the arm64 variant's statement names the arm64 base), as
BuildKit attests each platform; and one for the index, as `cosign attest --recursive` also
attests the index: the same source and build definition, the platform manifests it names as
its dependencies, and no bases or input digest of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from builder import __version__
from builder.platforms import image_of

if TYPE_CHECKING:
    from builder.build import Session
    from builder.config import SecretSource
    from builder.scheduler import RunResult

PREDICATE_TYPE = "https://slsa.dev/provenance/v1"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
BUILD_TYPE = "https://github.com/imgbuild/imgbuild/buildtypes/image/v1"
BUILDER_ID = "https://github.com/imgbuild/imgbuild"


@dataclass(frozen=True)
class BuildFacts:
    """What one image's provenance says, gathered once per image of a publish."""

    image: str
    source: Mapping[str, Any]  # repository, commit, dirty (empty outside git)
    config: tuple[str, str]  # (path relative to the config's folder, sha256)
    dockerfile: tuple[str, str]
    args: Mapping[str, str]
    secret_names: tuple[str, ...]
    target: str | None
    bases: Mapping[str, str]  # ref or "image:NAME" -> image ID
    input_digest: str | None
    builder: str | None
    engine_version: str
    started: float | None = None
    finished: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    platform: str | None = None  # the variant's, of an image built for named platforms

    def for_index(self) -> BuildFacts:
        """What the index of this image's platforms shares with them: no bases, no input
        digest, no build times (each platform's statement has its own)."""
        return replace(
            self, bases={}, input_digest=None, started=None, finished=None, platform=None
        )


REDACTED = "<redacted>"
# Words in an arg NAME that say its value is a credential: lint rule DL3064's list (ARG or ENV
# with sensitive data), plus spellings it leaves out.
# Beyond DL3064's words (builder.lint.secrets.SENSITIVE_NAME_WORDS): spellings common in build
# args that hadolint's rule does not look for.
_MORE_SECRET_WORDS = ("passwd", "apikey", "access_key", "credential")
_SHORTEST_SECRET = 4  # a shorter secret value would match half the args by chance


def public_args(args: Mapping[str, str], secret_values: Iterable[str] = ()) -> dict[str, str]:
    """The build args with every value that may be a credential replaced by `REDACTED`.

    A value is withheld when the arg's NAME suggests a secret (`names_a_secret`, any case), when
    the value looks like a credential (a token format, a PEM private key, a password in a URL:
    `builder.lint.secrets.secret_kind`), or when it contains the value of one of the build's
    secrets. Names are always kept, so the statement still says which args were given.
    """
    from builder.lint.secrets import names_a_secret, secret_kind

    secrets = [value for value in secret_values if len(value) >= _SHORTEST_SECRET]
    return {
        name: REDACTED
        if names_a_secret(name, _MORE_SECRET_WORDS)
        or secret_kind(value) is not None
        or any(secret in value for secret in secrets)
        else value
        for name, value in args.items()
    }


def _secret_values(secrets: Iterable[SecretSource], environ: Mapping[str, str]) -> list[str]:
    """The values of the build's secrets, read only to keep them out of the statement."""
    values = []
    for secret in secrets:
        if secret.env is not None:
            values.append(environ.get(secret.env, ""))
        elif secret.file is not None:
            try:
                values.append(secret.file.read_text(errors="replace").strip())
            except OSError:
                continue
    return values


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_facts(session: Session, built: RunResult, key: str) -> BuildFacts:
    """The facts of the run's node `key`: an image, or one platform variant of it
    (`web@linux/arm64`, see `builder.variants`)."""
    config = session.config
    node = session.graph.nodes[key]
    result = built.result(key)
    state = session.git_state
    source = (
        {"repository": state.source_url, "commit": state.sha, "dirty": state.dirty}
        if state is not None
        else {}
    )
    bases = dict(session.resolver.known_base_ids(node))  # the variant's: its platform's bases
    for dependency in session.graph.dependencies(key):
        bases[f"image:{image_of(dependency)}"] = built.result(dependency).image_id or ""
    origin = node.dockerfile_origin
    return BuildFacts(
        image=image_of(key),
        source=source,
        config=(config.path.name, _sha256(config.path.read_bytes())),
        dockerfile=(_relative(origin, config.root), _sha256(node.dockerfile_text.encode())),
        args=public_args(node.spec.args, _secret_values(node.spec.secrets, os.environ)),
        secret_names=tuple(secret.name for secret in node.spec.secrets),
        target=node.spec.target,
        bases=bases,
        input_digest=result.input_digest,
        builder=result.builder,
        engine_version=session.engine.info().version,
        started=result.started_at,
        finished=result.finished_at,
        platform=str(node.platform) if node.platform is not None else None,
    )


def _relative(path: Any, root: Any) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _dependencies(
    facts: BuildFacts, name: str, manifests: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The commit, the bases and, for an index, each platform's manifest."""
    found: list[dict[str, Any]] = []
    if facts.source.get("commit"):
        uri = f"git+{facts.source.get('repository') or 'unknown'}"
        found.append({"uri": uri, "digest": {"gitCommit": facts.source["commit"]}})
    for ref, image_id in sorted(facts.bases.items()):
        algorithm, _, value = image_id.partition(":")
        found.append({"uri": f"docker-image://{ref}", "digest": {algorithm: value}})
    for platform, manifest in manifests.items():
        found.append(
            {
                "uri": f"docker-image://{name}@{manifest}",
                "digest": {"sha256": manifest.partition(":")[2]},
                "annotations": {"platform": platform},
            }
        )
    return found


def statement(
    facts: BuildFacts, name: str, digest: str, manifests: Mapping[str, str] | None = None
) -> bytes:
    """The in-toto statement for `name@digest` (HOST/PATH and sha256:HEX); `manifests`
    (platform -> manifest digest) when `digest` is their index."""
    dependencies = _dependencies(facts, name, manifests or {})
    parameters: dict[str, Any] = {"platform": facts.platform} if facts.platform else {}
    if manifests:
        parameters["platforms"] = list(manifests)
    metadata = {"invocationId": facts.input_digest}
    if facts.started is not None and facts.finished is not None:
        metadata["startedOn"] = _iso(facts.started)
        metadata["finishedOn"] = _iso(facts.finished)
    document = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": name, "digest": {"sha256": digest.partition(":")[2]}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {
                    "image": facts.image,
                    "source": dict(facts.source),
                    "config": {"path": facts.config[0], "sha256": facts.config[1]},
                    "dockerfile": {"path": facts.dockerfile[0], "sha256": facts.dockerfile[1]},
                    "args": dict(facts.args),
                    "secrets": list(facts.secret_names),
                    "target": facts.target,
                    **parameters,
                },
                "internalParameters": {"inputDigest": facts.input_digest},
                "resolvedDependencies": dependencies,
            },
            "runDetails": {
                "builder": {
                    "id": BUILDER_ID,
                    "version": {
                        "imgbuild": __version__,
                        "engine": facts.engine_version,
                        "builder": facts.builder,
                    },
                },
                "metadata": metadata,
            },
        },
    }
    return json.dumps(document, separators=(",", ":")).encode()


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def summarize(document: Mapping[str, Any]) -> dict[str, Any]:
    """What `verify` shows of a statement: commit, dirty, bases, builder, subject digest, and
    the platform (of a platform's statement) or the platform manifests (of an index's)."""
    predicate = document["predicate"]
    parameters = predicate["buildDefinition"]["externalParameters"]
    versions = predicate["runDetails"]["builder"]["version"]
    images = [
        dep
        for dep in predicate["buildDefinition"]["resolvedDependencies"]
        if str(dep.get("uri", "")).startswith("docker-image://")
    ]
    bases = [
        f"{dep['uri'].removeprefix('docker-image://')} {next(iter(dep['digest'].items()))[0]}:"
        f"{next(iter(dep['digest'].values()))}"
        for dep in images
        if "platform" not in (dep.get("annotations") or {})
    ]
    manifests = {
        dep["annotations"]["platform"]: f"sha256:{dep['digest'].get('sha256')}"
        for dep in images
        if "platform" in (dep.get("annotations") or {})
    }
    summary = {
        "subject": document["subject"][0]["digest"].get("sha256"),
        "commit": parameters["source"].get("commit"),
        "dirty": parameters["source"].get("dirty"),
        "source": parameters["source"].get("repository"),
        "bases": bases,
        "builder": f"imgbuild {versions.get('imgbuild')} ({versions.get('builder')}), "
        f"engine {versions.get('engine')}",
    }
    if parameters.get("platform"):
        summary["platform"] = parameters["platform"]
    if manifests:
        summary["manifests"] = manifests
    return summary
