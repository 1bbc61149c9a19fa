"""DL3010: COPY an archive, then extract it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Lines = Callable[..., list[int]]


@pytest.mark.parametrize(
    "text",
    [
        "COPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar\n",
        "COPY app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo && tar -xf app.tar\n",
        "COPY foo/bar/app.tar /foo.tar\nRUN tar -xf /foo.tar\n",
        'COPY build\\foo\\bar.tar.gz "C:\\Program Files\\Foo"\n'
        'RUN tar -xf "C:\\Program Files\\Foo\\bar.tar.gz"\n',
        "COPY dist.zip.gz /tmp/\nRUN gunzip /tmp/dist.zip.gz\n",
    ],
)
def test_catches_copy_then_extract(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3010", f"FROM a:1\n{text}") == [2]


@pytest.mark.parametrize(
    "text",
    [
        "COPY packaged-app.tar /usr/src/app\nFROM debian:11 AS newstage\nRUN tar -xf app.tar\n",
        "COPY package.json /usr/src/app\n",
        "COPY --from=builder /usr/local/share/some.tar /opt/some.tar\nRUN tar -xf /opt/some.tar\n",
        "COPY app.tar /x/\nRUN tar -cf other.tar /x\n",
        "COPY app.tar /x/\n",
    ],
)
def test_does_not_catch(rule_lines: Lines, text: str) -> None:
    assert rule_lines("DL3010", f"FROM a:1\n{text}") == []
