"""A real registry with token auth whose token server authenticates but never grants a push.

The CNCF distribution registry 2.8 has no per-user permissions with htpasswd; with `auth:
token` it trusts a token server to say what each user may do. This one (a few lines of
http.server on loopback, signing with openssl) accepts the right user and password and grants
only `pull`: a login succeeds, reads succeed, and every push is refused by the registry itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from realparts import Registry, free_port

SERVICE = "imgbuild-denying-registry"
ISSUER = "imgbuild-test-token-server"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _libtrust_key_id(public_der: bytes) -> str:
    """The key id distribution looks trusted keys up by (libtrust's fingerprint)."""
    encoded = base64.b32encode(hashlib.sha256(public_der).digest()[:30]).decode("ascii")
    return ":".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@dataclass
class TokenServer:
    folder: Path
    username: str
    password: str
    scopes: list[str] = field(default_factory=list)  # every scope asked for, in order

    def __post_init__(self) -> None:
        self.key = self.folder / "token.key"
        self.cert = self.folder / "token.crt"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=imgbuild-test-token", "-keyout", str(self.key), "-out", str(self.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        public = subprocess.run(
            ["openssl", "pkey", "-in", str(self.key), "-pubout", "-outform", "DER"],
            check=True,
            capture_output=True,
        ).stdout
        self.key_id = _libtrust_key_id(public)

    def token(self, account: str, scope: str) -> str:
        access = []
        for item in scope.split():
            kind, name, _actions = item.split(":", 2) if item.count(":") >= 2 else ("", "", "")
            if kind == "repository":
                access.append({"type": kind, "name": name, "actions": ["pull"]})
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "kid": self.key_id}
        claims = {
            "iss": ISSUER, "sub": account, "aud": SERVICE, "exp": now + 600, "nbf": now - 60,
            "iat": now - 60, "jti": secrets.token_hex(8), "access": access,
        }  # fmt: skip
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        )
        signature = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", str(self.key)],
            input=signing_input.encode(),
            check=True,
            capture_output=True,
        ).stdout
        return f"{signing_input}.{_b64url(signature)}"

    def authorized(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return header == f"Basic {expected}"

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Serve on a free loopback port; yields the realm URL."""
        server_state = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                scope = " ".join(query.get("scope", []))
                server_state.scopes.append(scope)
                if not server_state.authorized(self.headers.get("Authorization")):
                    self.send_response(401)
                    self.end_headers()
                    return
                account = (query.get("account") or [server_state.username])[0]
                body = json.dumps(
                    {"token": server_state.token(account, scope), "expires_in": 600}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/token"
        finally:
            server.shutdown()
            server.server_close()


def start_denying_registry(root: Path, realm: str, cert: Path) -> Registry:
    address = f"127.0.0.1:{free_port()}"
    (root / "config.yml").write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root}/data\n"
        f"http:\n  addr: {address}\n"
        f"auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n"
        f"    issuer: {ISSUER}\n    rootcertbundle: {cert}\n"
    )
    registry = Registry(address=address, username=None, password=None, root=root)
    registry.start()
    return registry
