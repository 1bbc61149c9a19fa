"""The build context as the engine receives it: a tar of one `ContextSnapshot`.

The snapshot is the walk the input digest was computed from (`builder.digest`); the tar holds
exactly its files, read again from disk, so the digest covers what is built.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from typing import IO

from builder.digest import ContextSnapshot

# The name the Dockerfile is sent under, listed in the tar's .dockerignore.
DOCKERFILE_NAME = ".imgbuild.Dockerfile"
_SPOOL_IN_MEMORY = 64 << 20  # bytes; larger contexts are spooled to disk


def context_tar(snapshot: ContextSnapshot, dockerfile_text: str) -> IO[bytes]:
    """The context as an uncompressed tar, rewound, with the Dockerfile as `DOCKERFILE_NAME`.

    The Dockerfile sent (rendered, or with labels written in) is added under a private name that
    the tar's .dockerignore lists, as the docker CLI does for an outside Dockerfile, so the
    engine drops it from the context and `COPY .` never copies it. Raises OSError when a file
    of the snapshot cannot be read.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 (returned)
    with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT) as archive:
        ignore_text = b""
        for entry in snapshot.entries:
            full = os.path.join(snapshot.root, entry.path)
            if entry.path == ".dockerignore":
                with open(full, "rb") as stream:
                    ignore_text = stream.read()
                continue
            info = archive.gettarinfo(full, arcname=entry.path)
            _normalise(info)
            if info.isfile():
                with open(full, "rb") as stream:
                    archive.addfile(info, stream)
            else:
                archive.addfile(info)
        _add_bytes(archive, DOCKERFILE_NAME, dockerfile_text.encode())
        listed = ignore_text.rstrip(b"\n") + f"\n{DOCKERFILE_NAME}\n.dockerignore\n".encode()
        _add_bytes(archive, ".dockerignore", listed.lstrip(b"\n"))
    spool.seek(0)
    return spool


def _normalise(info: tarfile.TarInfo) -> None:
    # The owner of context files must not leak into the build (the docker CLI does the same).
    info.uid = info.gid = 0
    info.uname = info.gname = ""


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))
