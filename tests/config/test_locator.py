"""KeyLocator: the line of a key in TOML text, for every way TOML writes a key."""

from __future__ import annotations

import pytest

from builder.config import KeyLocator

TEXT = """\
# a comment = not a key
[images.api]
context = "api"
args = { PORT = 8080, "HOST" = "0.0.0.0" }

[images."web"]
dockerfile = "Dockerfile"
images.other.context = "x"

[tags]
sha.length = 7

[[questions]]
name = "first"

[[questions]]
name = "second"
"""


@pytest.mark.parametrize(
    ("key", "line"),
    [
        (["images"], 2),  # a key found as the start of a header table
        (["images", "api"], 2),
        (["images", "api", "context"], 3),
        (["images", "api", "args", "PORT"], 4),  # inline table
        (["images", "api", "args", "HOST"], 4),  # quoted key in an inline table
        (["images", "web"], 6),  # quoted header component
        (["images", "web", "dockerfile"], 7),
        (["images", "web", "images", "other", "context"], 8),  # dotted key under a header
        (["tags", "sha", "length"], 11),
        (["questions"], 13),  # array of tables: the first entry
        (["questions", "name"], 14),
        (["images", "api", "missing"], 2),  # unknown: its nearest located parent
        (["tags", "latest"], 10),
    ],
)
def test_line_of_a_key(key: list[str], line: int) -> None:
    assert KeyLocator(TEXT).line(key) == line


def test_no_line_for_a_key_the_text_does_not_have() -> None:
    assert KeyLocator(TEXT).line(["publish", "registries"]) is None
    assert KeyLocator("").line(["images"]) is None
