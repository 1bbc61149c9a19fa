"""`docker-credential-imgbuild`: Docker's credential-helper protocol over imgbuild's keyring.

With `"credsStore": "imgbuild"` (or a `credHelpers` entry) in ~/.docker/config.json, `docker pull`
and `docker push` read the credentials `imgbuild login` stored. The protocol: the action is the
one argument; `get` and `erase` read a server address on stdin, `store` reads
`{"ServerURL", "Username", "Secret"}`, `list` prints `{SERVER: USERNAME}`; a failure is one line
on stdout and exit 1 (Docker reads stdout for the reason).
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from builder.credentials import (
    KeyringUnavailable,
    keyring_erase,
    keyring_get,
    keyring_list,
    keyring_store,
)
from builder.errors import UsageError

NOT_FOUND = "credentials not found in native keychain"


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(sys.argv[1:] if argv is None else argv, sys.stdin, sys.stdout))


def run(argv: list[str], stdin: TextIO, stdout: TextIO) -> int:
    if len(argv) != 1 or argv[0] not in ("get", "store", "erase", "list", "version"):
        stdout.write("usage: docker-credential-imgbuild get|store|erase|list|version\n")
        return 1
    action = argv[0]
    try:
        if action == "version":
            from builder import __version__

            stdout.write(f"docker-credential-imgbuild {__version__}\n")
        elif action == "get":
            server = stdin.read().strip()
            found = keyring_get(server)
            if found is None:
                stdout.write(NOT_FOUND + "\n")
                return 1
            json.dump(
                {"ServerURL": server, "Username": found.username, "Secret": found.secret}, stdout
            )
            stdout.write("\n")
        elif action == "store":
            entry = json.loads(stdin.read())
            keyring_store(str(entry["ServerURL"]), str(entry["Username"]), str(entry["Secret"]))
        elif action == "erase":
            if not keyring_erase(stdin.read().strip()):
                stdout.write(NOT_FOUND + "\n")
                return 1
        else:
            json.dump({key: _username(key) for key in keyring_list()}, stdout)
            stdout.write("\n")
    except (KeyringUnavailable, UsageError) as error:
        stdout.write(f"{error}\n")
        return 1
    except (json.JSONDecodeError, KeyError, TypeError):
        # Never echo the input: it holds the secret.
        stdout.write('store expects {"ServerURL": ..., "Username": ..., "Secret": ...}\n')
        return 1
    return 0


def _username(key: str) -> str:
    found = keyring_get(key)
    return found.username if found else ""
