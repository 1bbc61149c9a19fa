"""A small client for the Registry HTTP API v2: ping, auth, manifests, blobs.

Enough for what the engine cannot do cheaply: ask a registry which digest a tag points at (so an
up-to-date tag is skipped with one request), copy a manifest to another tag registry-side
(promote, and moving tags after the first push), check credentials before `login` stores them,
and put blobs: the small ones of signatures and attestations (builder/supply/) and the layers of
an image index (builder/oci/), streamed from a file, or mounted from another repository of the
same registry. Auth follows the registry's challenge: Basic, or the Bearer token flow (token
server named in `WWW-Authenticate`). Transient failures (connection refused or reset, timeouts,
5xx, 429) are retried with exponential backoff; 401/403 fail at once, naming the registry and the
credential source. Loopback registries are spoken to over plain HTTP, as the engine does; so are
the hosts listed in IMGBUILD_INSECURE_REGISTRIES (comma-separated). Credentials are looked up
when the registry first asks for them (`RegistryClient.for_registry`), and HTTP is the standard
library's (`builder.registry_http`): a publish that finds everything in place loads neither
keyring nor requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from builder.credentials import Credentials, Lookup, find_credentials, registry_host, registry_key
from builder.errors import RegistryError
from builder.registry_http import Response, Session, TransportError
from builder.registry_wire import (
    StreamedBody,
    basic_header,
    error_text,
    parse_challenge,
    read_file,
    short_reason,
)
from builder.retry import RetryPolicy, with_retries

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
_TRANSIENT_STATUS = {408, 429, 500, 502, 503, 504}
# Answers to GET /v2/NAME/referrers/DIGEST that mean "no referrers API": the spec's 404, and
# what go-containerregistry also falls back on (a registry that does not know the route).
_NO_REFERRERS_API = {400, 404, 405, 406}
_OCI_INDEX = "application/vnd.oci.image.index.v1+json"

T = TypeVar("T")
# A blob to upload: its file, or what gives its bytes from the start again on each call.
BlobSource = Path | Callable[[], Iterable[bytes]]


class RegistryAuthError(RegistryError):
    """401/403: retrying cannot help."""


class RegistryUnavailable(RegistryError):
    """The registry could not be reached or kept failing after every retry."""


class _Transient(Exception):
    """One attempt failed in a way a retry may fix; the text says how."""


@dataclass(frozen=True)
class Manifest:
    digest: str
    media_type: str
    body: bytes

    @property
    def config_digest(self) -> str | None:
        """The image config digest (the engine's image id) of a single-image manifest."""
        try:
            document = json.loads(self.body)
        except json.JSONDecodeError:
            return None
        config = document.get("config") if isinstance(document, dict) else None
        digest = config.get("digest") if isinstance(config, dict) else None
        return digest if isinstance(digest, str) else None


def is_plain_http(host: str) -> bool:
    name = re.sub(r":\d+$", "", host).strip("[]")
    insecure = {
        item.strip() for item in os.environ.get("IMGBUILD_INSECURE_REGISTRIES", "").split(",")
    }
    return name in ("localhost", "::1") or name.startswith("127.") or host in insecure


class RegistryClient:
    """One registry, one set of credentials; tokens are cached per scope for the session."""

    def __init__(
        self,
        registry: str,
        credentials: Credentials | None,
        retry: RetryPolicy | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.key = registry_key(registry)
        self._credentials = credentials
        self._notes = notes  # why sources were skipped, said when credentials are missing
        self._lookup: Callable[[], Lookup] | None = None
        self._lookup_lock = threading.Lock()
        host = registry_host(self.key)
        self.base = f"{'http' if is_plain_http(host) else 'https'}://{host}"
        self.retry = retry or RetryPolicy()
        self._session = Session()
        self._basic = False
        self._tokens: dict[str, str] = {}

    @classmethod
    def for_registry(cls, registry: str, retry: RetryPolicy | None = None) -> RegistryClient:
        """A client whose credentials are looked up (`find_credentials`) when first needed:
        when the registry challenges, or a caller reads `credentials` to hand them to the
        engine. A registry that asks for none costs no keyring read (a tenth of a second)."""
        client = cls(registry, None, retry)
        client._lookup = lambda: find_credentials(client.key)
        return client

    @property
    def credentials(self) -> Credentials | None:
        with self._lookup_lock:
            if self._lookup is not None:
                found = self._lookup()
                self._credentials, self._notes, self._lookup = found.credentials, found.notes, None
        return self._credentials

    @property
    def notes(self) -> tuple[str, ...]:
        self.credentials  # noqa: B018 (looked up first: the notes come with the credentials)
        return self._notes

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the API ------------------------------------------------------------------------------

    def check_login(self) -> None:
        """Raise RegistryAuthError unless the registry accepts these credentials."""
        response = self._send("GET", "/v2/", {})
        if response.status_code == 200:
            return
        if response.status_code != 401:
            raise self._unexpected(response, "checking the login")
        challenge = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        if challenge is None:
            raise self._unexpected(response, "checking the login")
        scheme, params = challenge
        if self.credentials is None:
            raise self._auth_error(response.status_code, "sign in")
        if scheme == "basic":
            self._basic = True
            response = self._send("GET", "/v2/", self._auth_headers(""))
            if response.status_code == 200:
                return
            raise self._auth_error(response.status_code, "sign in")
        self._fetch_token(params, scope=None, action="sign in")

    def get_manifest(self, repository: str, reference: str) -> Manifest | None:
        """The manifest `reference` (tag or digest) points at; None when there is none.

        A GET rather than a HEAD: the body names the image config, which is the engine's image
        id, so one request tells both the digest and whether the ref is already this image.
        """
        response = self._request(
            "GET",
            repository,
            f"manifests/{reference}",
            "pull",
            headers={"Accept": ", ".join(MANIFEST_TYPES)},
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._unexpected(response, f"reading {repository}:{reference}")
        body = response.content
        digest = response.headers.get("Docker-Content-Digest") or (
            "sha256:" + hashlib.sha256(body).hexdigest()
        )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        return Manifest(digest=digest, media_type=media_type, body=body)

    def put_manifest(self, repository: str, tag: str, manifest: Manifest) -> str:
        """Point `tag` at `manifest` (already in the repository); return the digest."""
        response = self._request(
            "PUT",
            repository,
            f"manifests/{tag}",
            "pull,push",
            headers={"Content-Type": manifest.media_type},
            data=manifest.body,
        )
        if response.status_code not in (200, 201):
            raise self._unexpected(response, f"tagging {repository}:{tag}")
        return response.headers.get("Docker-Content-Digest", manifest.digest)

    def list_referrers(self, repository: str, digest: str) -> list[dict[str, Any]] | None:
        """The descriptors of the manifests whose `subject` is `digest` (OCI distribution 1.1
        referrers API); None when the registry does not offer the API (it answers 404 there,
        as distribution 2.8 does: a registry that offers it answers 200 for any digest of a
        repository it has, with an image index, empty when nothing refers to it). One page: the
        few attachments of a digest fit in it."""
        response = self._request(
            "GET",
            repository,
            f"referrers/{digest}",
            "pull",
            headers={"Accept": _OCI_INDEX},
        )
        if response.status_code in _NO_REFERRERS_API:
            return None
        if response.status_code != 200:
            raise self._unexpected(response, f"listing the referrers of {repository}@{digest}")
        if not response.headers.get("Content-Type", "").startswith(_OCI_INDEX):
            return None  # not the API's answer (a catch-all page): as go-containerregistry reads it
        try:
            listed = response.json().get("manifests") or []
        except (ValueError, AttributeError):
            return None
        return [entry for entry in listed if isinstance(entry, dict)]

    def get_blob(self, repository: str, digest: str) -> bytes | None:
        """The blob `digest` of the repository, None when there is none (not checked here)."""
        response = self._request("GET", repository, f"blobs/{digest}", "pull")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._unexpected(response, f"reading blob {digest} of {repository}")
        return response.content

    def blob_chunks(self, repository: str, digest: str) -> Iterator[bytes]:
        """The blob `digest` of the repository as it downloads, for a copy to another registry
        (a layer is not held in memory); RegistryError when there is none."""
        response = self._request("GET", repository, f"blobs/{digest}", "pull", stream=True)
        if response.status_code != 200:
            raise self._unexpected(response, f"reading blob {digest} of {repository}")
        with response:
            yield from response.iter_content(chunk_size=1 << 20)

    def has_blob(self, repository: str, digest: str) -> bool:
        response = self._request("HEAD", repository, f"blobs/{digest}", "pull")
        if response.status_code not in (200, 404):
            raise self._unexpected(response, f"looking for blob {digest} in {repository}")
        return response.status_code == 200

    def put_blob(self, repository: str, data: bytes) -> str:
        """Upload `data` as a blob (nothing when it is there); its digest."""
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if not self.has_blob(repository, digest):
            self.upload_blob(repository, digest, len(data), lambda: (data,))
        return digest

    def mount_blob(self, repository: str, digest: str, source: str) -> bool:
        """Link blob `digest` of repository `source` into `repository`, registry-side.

        False when the registry would not (it lacks the blob there, or these credentials may
        not pull `source`): then it has started an upload instead, which is cancelled here.
        """
        response = self._request(
            "POST",
            repository,
            f"blobs/uploads/?mount={digest}&from={source}",
            "pull,push",
            also=f"repository:{source}:pull",
        )
        if response.status_code == 201:
            return True
        if response.status_code != 202:
            raise self._unexpected(response, f"mounting blob {digest} from {source}")
        location = response.headers.get("Location")
        if location:
            scope = f"repository:{repository}:pull,push"
            # Tidiness only: the registry forgets abandoned uploads by itself.
            with contextlib.suppress(_Transient):
                self._send("DELETE", location, self._auth_headers(scope), once=True)
        return False

    def upload_blob(
        self,
        repository: str,
        digest: str,
        size: int,
        source: BlobSource,
        on_sent: Callable[[int], None] | None = None,
    ) -> None:
        """Upload a blob of known digest and size, streamed: never whole in memory.

        A retry starts a new upload and reads `source` again from its start (a file is opened
        again, a callable called again). `on_sent` hears the bytes sent so far in the attempt.
        """
        scope = f"repository:{repository}:pull,push"

        def attempt() -> None:
            started = self._request("POST", repository, "blobs/uploads/", "pull,push", once=True)
            location = started.headers.get("Location")
            if started.status_code != 202 or not location:
                raise self._unexpected(started, f"starting an upload to {repository}")
            separator = "&" if "?" in location else "?"
            chunks = read_file(source) if isinstance(source, Path) else iter(source())
            try:
                finished = self._send(
                    "PUT",
                    f"{location}{separator}digest={digest}",
                    {**self._auth_headers(scope), "Content-Type": "application/octet-stream"},
                    once=True,
                    data=StreamedBody(chunks, size, on_sent) if size else b"",
                )
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            if finished.status_code not in (201, 204):
                raise self._unexpected(finished, f"uploading blob {digest} to {repository}")

        self._retried("PUT", attempt)

    # -- auth and retries -----------------------------------------------------------------------

    def _request(
        self, method: str, repository: str, path: str, actions: str, also: str = "", **kwargs: Any
    ) -> Response:
        """A request under the token for `actions` on `repository` (and scope `also`)."""
        scope = f"repository:{repository}:{actions}" + (f" {also}" if also else "")
        url = f"/v2/{repository}/{path}"
        headers = dict(kwargs.pop("headers", {}))
        response = self._send(method, url, {**headers, **self._auth_headers(scope)}, **kwargs)
        if response.status_code != 401:
            if response.status_code == 403:
                raise self._auth_error(403, f"{method} {repository}")
            return response
        challenge = parse_challenge(response.headers.get("WWW-Authenticate", ""))
        if challenge is None:
            raise self._auth_error(401, f"{method} {repository}")
        scheme, params = challenge
        if scheme == "basic":
            if self._basic or self.credentials is None:
                raise self._auth_error(401, f"{method} {repository}")
            self._basic = True
        else:
            if scope in self._tokens:
                del self._tokens[scope]  # expired: fetch one more, once
            self._fetch_token(params, scope, action=f"{method} {repository}")
        response = self._send(method, url, {**headers, **self._auth_headers(scope)}, **kwargs)
        if response.status_code in (401, 403):
            raise self._auth_error(response.status_code, f"{method} {repository}")
        return response

    def _auth_headers(self, scope: str) -> dict[str, str]:
        if scope in self._tokens:
            return {"Authorization": f"Bearer {self._tokens[scope]}"}
        if self._basic and self.credentials is not None:
            return {"Authorization": basic_header(self.credentials)}
        return {}

    def _fetch_token(self, params: dict[str, str], scope: str | None, action: str) -> None:
        realm = params.get("realm")
        if not realm:
            raise RegistryError(f"{self.key} sent a Bearer challenge without a realm")
        query: dict[str, str | list[str]] = {"service": params.get("service", "")}
        if scope:
            query["scope"] = scope.split(" ")  # several scopes: the parameter repeated
        headers: dict[str, str] = {}
        if self.credentials is not None:
            query["account"] = self.credentials.username
            headers["Authorization"] = basic_header(self.credentials)
        response = self._send("GET", realm, headers, params=query)
        if response.status_code in (401, 403):
            raise self._auth_error(response.status_code, action)
        if response.status_code != 200:
            raise self._unexpected(response, "fetching a token")
        try:
            answer = response.json()
            token = answer.get("token") or answer.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str):
            raise RegistryError(f"the token server of {self.key} answered without a token")
        if scope:
            self._tokens[scope] = token

    def _send(
        self, method: str, url: str, headers: dict[str, str], once: bool = False, **kwargs: Any
    ) -> Response:
        """One request, retried with backoff while the failure looks transient.

        `once`: a single attempt, raising `_Transient`, for a caller that retries more than
        this request (an upload restarts from its first request).
        """
        target = url if url.startswith(("http://", "https://")) else self.base + url

        def attempt() -> Response:
            try:
                response = self._session.request(
                    method, target, headers, timeout=self.retry.timeout, **kwargs
                )
            except TransportError as error:
                raise _Transient(f"{error.kind}: {short_reason(error.detail)}") from None
            if response.status_code in _TRANSIENT_STATUS:
                raise _Transient(f"HTTP {response.status_code}")
            return response

        return attempt() if once else self._retried(method, attempt)

    def _retried(self, method: str, attempt: Callable[[], T]) -> T:
        try:
            return with_retries(attempt, self.retry, lambda error: isinstance(error, _Transient))
        except _Transient as last:
            raise RegistryUnavailable(
                f"registry {self.key} failed {method} after {self.retry.attempts} attempts: {last}",
                hint="check that the registry is up; a re-run pushes only what is missing",
            ) from None

    def _auth_error(self, status: int, action: str) -> RegistryAuthError:
        if self.credentials is None:
            return RegistryAuthError(
                f"registry {self.key} requires credentials to {action} (HTTP {status}) and "
                "none were found in DOCKER_AUTH_CONFIG, the keyring or Docker's config.json"
                + "".join(f"; {note}" for note in self.notes),
                hint=f"run `imgbuild login {self.key} --username USER --password-stdin`",
            )
        return RegistryAuthError(
            f"registry {self.key} refused the credentials of user "
            f"{self.credentials.username!r} from {self.credentials.origin} to {action} "
            f"(HTTP {status})",
            hint="check the user, password and its permissions; `imgbuild login --status` "
            "shows where credentials come from",
        )

    def _unexpected(self, response: Response, action: str) -> RegistryError:
        return RegistryError(
            f"registry {self.key} answered HTTP {response.status_code} when {action}: "
            f"{error_text(response)}"
        )
