"""DL3013: pin versions in pip."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "RUN pip install MySQL_python\n",
    "RUN pip3 install MySQL_python\n",
    "RUN python -m pip install example\n",
    "RUN pipx install black\n",
    "RUN pip install --root-user-action=ignore mypkg\n",
    "RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext\n",
    "RUN for p in a; do pip install foo; done\n",
    "RUN echo $(pip install foo)\n",
    "RUN <<EOF\nset -e\npip install requests\nEOF\n",
    "ONBUILD RUN pip install foo\n",
]

DOES_NOT_CATCH = [
    "RUN pip install MySQL_python==1.2.2\n",
    "RUN pip install 'alabaster>=0.7'\n",
    "RUN pip install foo~=1.2\n",
    "RUN pip install -r requirements.txt\n",
    "RUN pip install --requirement requirements.txt\n",
    "RUN pip install .\n",
    "RUN pip install pykafka -c constraints.txt\n",
    "RUN pip3 install mypkg.whl\n",
    "RUN pip install foo/bar\n",
    "RUN pip install --index-url https://eg.com/foo foobar==1.0.0\n",
    "RUN pipenv install black\n",
    "RUN pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n",
    "RUN pip install foo==${FOO_VERSION}\n",
    'RUN pip install "foo==$FOO_VERSION" "bar>=$BAR"\n',
    "RUN pip install --no-cache-dir --root-user-action ignore poetry==1.8.5\n",
    "RUN <<EOF\npip install requests==2.32.3\nEOF\n",
    "RUN python3 <<EOF\nimport pip\nEOF\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3013", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3013", dockerfile) == []
