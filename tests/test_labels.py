from __future__ import annotations

from builder.dockerfile import parse_dockerfile
from builder.labels import with_labels

TEXT = "FROM a AS build\nRUN make \\\n  all\nFROM b AS runtime\nCOPY --from=build /x /x\nFROM c AS debug\n"


def test_labels_go_to_the_end_of_the_target_stage_in_one_instruction() -> None:
    result = with_labels(parse_dockerfile(TEXT), TEXT, {"b": "2", "a": "1"}, "runtime")
    assert result.splitlines()[5] == 'LABEL "a"="1" "b"="2"'
    assert result.splitlines()[6] == "FROM c AS debug"


def test_labels_go_to_the_last_stage_without_a_target_and_values_are_quoted() -> None:
    text = "FROM a\nRUN true"
    result = with_labels(parse_dockerfile(text), text, {"k": 'say "$HOME" \\ now'}, None)
    assert result == 'FROM a\nRUN true\nLABEL "k"="say \\"\\$HOME\\" \\\\ now"\n'


def test_heredoc_bodies_stay_whole() -> None:
    text = "FROM a\nRUN <<EOF\necho hi\nEOF\n"
    result = with_labels(parse_dockerfile(text), text, {"k": "v"}, None)
    assert result.endswith('EOF\nLABEL "k"="v"\n')
