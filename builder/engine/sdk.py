"""The Docker SDK for Python, imported on first use, and the client classes made from it.

Importing docker (with requests and urllib3) costs about 0.1 s; a run where nothing changed
never needs it (see `builder.engine.local`), so nothing here imports it at module level.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from builder.config import TlsSettings
from builder.records import CancelHandle


@functools.cache
def sdk() -> Any:
    """The docker package."""
    import docker
    import docker.errors

    return docker


def sdk_errors() -> tuple[type[Exception], ...]:
    """What the SDK raises when the engine cannot be reached or refuses."""
    import requests.exceptions

    return (sdk().errors.DockerException, requests.exceptions.RequestException)


def transport_errors() -> tuple[type[Exception], ...]:
    """`sdk_errors` and what a connection that breaks mid-stream raises underneath them."""
    import urllib3.exceptions

    return (*sdk_errors(), urllib3.exceptions.HTTPError, OSError)


def new_client(
    url: str, *, api_version: str | None, timeout: float, tls: TlsSettings | None
) -> Any:
    """An API client for the engine at `url` (`api_version` None: ask the engine)."""
    tls_config: Any = False
    if tls is not None:
        import docker.tls

        tls_config = docker.tls.TLSConfig(
            client_cert=(str(tls.cert), str(tls.key)) if tls.cert else None,
            ca_cert=str(tls.ca) if tls.ca else None,
            verify=tls.verify,
        )
    # requests would let REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace a configured CA.
    kind = _client_class(tls is not None and tls.ca is not None)
    return kind(
        base_url=url,
        version=api_version or "auto",
        timeout=timeout,
        tls=tls_config,
        # docker-py speaks ssh:// through paramiko, which is not a dependency; the ssh binary is
        # what the docker CLI uses too.
        use_ssh_client=url.startswith("ssh://"),
    )


@functools.cache
def _client_class(pinned_ca: bool) -> Any:
    """The SDK client class, made on first use so that importing this module stays cheap."""

    class _APIClient(sdk().APIClient):  # type: ignore[misc]
        """An APIClient that hands each streaming response to a CancelHandle."""

        handle: CancelHandle | None = None

        def _stream_helper(self, response: Any, decode: bool = False) -> Iterator[Any]:
            if self.handle is not None:
                self.handle.attach(response)
            return super()._stream_helper(response, decode=decode)  # type: ignore[no-any-return]

    class _PinnedCAClient(_APIClient):
        """A client that never reads settings from the environment (requests' `trust_env`),
        which would put a CA bundle named there over the CA the engine's TLS settings give."""

        @property
        def trust_env(self) -> bool:
            return False

        @trust_env.setter
        def trust_env(self, value: bool) -> None:
            pass  # requests.Session.__init__ sets it; the pinned CA must win

    return _PinnedCAClient if pinned_ca else _APIClient
