"""IB020: a CMD, ENTRYPOINT or HEALTHCHECK replaced later in the stage (BuildKit's
MultipleInstructionsDisallowed), reported on the one that is ignored."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ('FROM scratch\nCMD ["a"]\nCMD ["b"]\n', [2]),
    ('FROM scratch\nENTRYPOINT ["a"]\nRUN x\nENTRYPOINT ["b"]\n', [2]),
    ('FROM scratch\nHEALTHCHECK CMD ["a"]\nHEALTHCHECK NONE\n', [2]),
    ('FROM scratch\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]\n', [2, 3]),
    ('FROM scratch AS a\nCMD ["a"]\nFROM a AS b\nCMD ["b"]\n', []),  # per stage
    ('FROM scratch\nENTRYPOINT ["a"]\nCMD ["b"]\n', []),
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB020", dockerfile) == lines


def test_message_names_the_later_instruction(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB020", 'FROM a\nCMD ["a"]\ncmd ["b"]\n') == [
        "Multiple cmd instructions should not be used in the same stage because only the last "
        "one will be used"
    ]
