"""DL3016: pin versions in npm."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN npm install express\n",
    "RUN npm install @myorg/privatepackage\n",
    "RUN npm install express sax@0.1.1\n",
    "RUN npm install --global express\n",
    "RUN npm install git+https://isaacs@github.com/npm/npm.git\n",
    "RUN npm install --registry https://example.com express\n",
    "ONBUILD RUN npm install express\n",
]

DOES_NOT_CATCH = [
    "RUN npm install\n",
    "RUN npm install --progress=false\n",
    "RUN npm install express@4.1.1\n",
    'RUN npm install @myorg/privatepackage@">=0.1.0"\n',
    'RUN npm install -g express@"4.1.1"\n',
    "RUN npm install package-v1.2.3.tgz\n",
    "RUN npm install ./folder\n",
    "RUN npm install git+https://isaacs@github.com/npm/npm.git#v1.0.27\n",
    "RUN npm run --crazy install\n",
    "RUN npm install --loglevel verbose sax@0.1.1\n",
    "RUN npm install express@$EXPRESS_VERSION\n",
    "RUN npm install typescript@${TS_VERSION}\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3016", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3016", dockerfile) == []
