from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.adopt.bake import propose_from_bake
from builder.adopt.model import Proposal
from builder.errors import UsageError
from tests.adopt.helpers import BAKE, lay_out


def proposal_for(
    root: Path, files: dict[str, str] = BAKE, name: str = "docker-bake.hcl"
) -> Proposal:
    lay_out(root, files)
    return propose_from_bake(root / name, root, "")


def test_targets_of_the_default_group_become_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("REGISTRY", "TAG", "GO_VERSION"):
        monkeypatch.delenv(variable, raising=False)
    images = {image.name: image for image in proposal_for(tmp_path).images}
    assert list(images) == ["server", "server-debug", "admin-tools"]
    server = images["server"]
    assert (server.context, server.dockerfile) == (tmp_path, tmp_path / "server.Dockerfile")
    assert (server.repository, server.tags, server.target) == (
        "org/server",
        ("dev", "latest"),
        "server",
    )
    assert dict(server.args) == {"GO_VERSION": "1.22"}  # inherited, variable at its default
    assert dict(server.labels) == {"org.opencontainers.image.vendor": "org"}
    assert [str(p) for p in server.platforms] == ["linux/amd64", "linux/arm64"]
    assert images["admin-tools"].platforms == ()
    tools = images["admin-tools"]
    assert dict(tools.args) == {"GO_VERSION": "1.22", "EXTRA": "1"}  # maps merge
    assert (tools.repository, tools.tags) == ("org/admin-tools", ("dev",))
    assert images["server-debug"].depends_on == ("admin-tools",)
    assert images["server-debug"].target == "debug"


def test_environment_overrides_a_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAG", "2.0")
    images = {image.name: image for image in proposal_for(tmp_path).images}
    assert images["server"].tags == ("2.0", "latest")


def test_what_cannot_be_converted_is_listed_with_its_line(tmp_path: Path) -> None:
    proposal = proposal_for(tmp_path)
    assert [str(note) for note in proposal.unconverted] == [
        "docker-bake.hcl:21: target server: labels.build-date: ${timestamp()}: not converted",
        "docker-bake.hcl:21: target server-debug: labels.build-date: ${timestamp()}: not converted",
        "docker-bake.hcl:21: target admin-tools: labels.build-date: ${timestamp()}: not converted",
        "docker-bake.hcl:31: target server: platforms: 'darwin/arm64': unknown operating system 'darwin': not converted (known: linux, windows)",
        "docker-bake.hcl:44: target server-debug: contexts.tools: target:admin-tools becomes an edge (depends_on)",
        "docker-bake.hcl:45: target server-debug: cache-from: not converted",
    ]
    assert [str(note) for note in proposal.skipped] == [
        "docker-bake.hcl:47: target docs: not in group default",
        "docker-bake.hcl:50: target matrix-app: not in group default",
    ]


def test_a_json_bake_file(tmp_path: Path) -> None:
    document = {
        "variable": {"TAG": {"default": "1.0"}},
        "target": {"web": {"context": "web", "tags": ["shop/web:${TAG}"], "args": {"A": "b"}}},
    }
    files = {"docker-bake.json": json.dumps(document, indent=2), "web/Dockerfile": "FROM a:1\n"}
    proposal = proposal_for(tmp_path, files, "docker-bake.json")
    (image,) = proposal.images
    assert (image.name, image.repository, image.tags, dict(image.args)) == (
        "web",
        "shop/web",
        ("1.0",),
        {"A": "b"},
    )
    assert image.origin == "bake target web (docker-bake.json:8)"


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"docker-bake.hcl": 'target "a" {\n  context = \n}\n'},
            "docker-bake.hcl:2: not valid HCL",
        ),
        (
            {"docker-bake.hcl": 'variable "A" {\n  default = "1"\n}\n'},
            "docker-bake.hcl:1: not a Bake file: no target",
        ),
        (
            {"docker-bake.hcl": 'target "a" {\n  context = "nowhere"\n}\n'},
            "docker-bake.hcl:2: target a: context: no folder",
        ),
        (
            {"docker-bake.hcl": 'target "a" {\n  inherits = ["b"]\n}\n'},
            "docker-bake.hcl:2: target a inherits 'b', which is no target",
        ),
    ],
)
def test_bad_input_is_one_line_with_file_and_line(
    tmp_path: Path, files: dict[str, str], error: str
) -> None:
    with pytest.raises(UsageError) as raised:
        proposal_for(tmp_path, files)
    assert str(raised.value).startswith(f"{tmp_path}/{error}")


def test_platforms_are_evaluated_inherited_and_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARM", raising=False)
    bake = """\
variable "ARM" {
  default = "linux/aarch64"
}
group "default" {
  targets = ["web", "api"]
}
target "_multi" {
  platforms = ["linux/amd64", "${ARM}", "linux/x86_64"]
}
target "web" {
  inherits = ["_multi"]
}
target "api" {
  inherits = ["_multi"]
  platforms = ["linux/arm/v7", timestamp()]
}
"""
    proposal = proposal_for(tmp_path, {"docker-bake.hcl": bake, "Dockerfile": "FROM a:1\n"})
    platforms = {image.name: [str(p) for p in image.platforms] for image in proposal.images}
    assert platforms == {"web": ["linux/amd64", "linux/arm64"], "api": ["linux/arm/v7"]}
    assert [str(note) for note in proposal.unconverted] == [
        "docker-bake.hcl:15: target api: platforms: ${timestamp()}: not converted"
    ]


INLINE = """\
variable "BASE" {
  default = "local/busybox:1"
}
target "tool" {
  dockerfile-inline = <<-EOT
    FROM ${BASE}
    ARG GREETING=hi
    RUN echo $${GREETING} \\
      > /greeting
    EOT
}
target "one-line" {
  dockerfile-inline = "FROM ${BASE}\\nCMD [\\"sh\\"]\\n"
}
target "computed" {
  dockerfile-inline = "FROM ${upper(BASE)}\\n"
}
"""


def test_an_inline_dockerfile_is_evaluated_and_given_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BASE", raising=False)
    proposal = proposal_for(tmp_path, {"docker-bake.hcl": INLINE})
    images = {image.name: image for image in proposal.images}
    assert list(images) == ["tool", "one-line"]
    tool = images["tool"]
    assert tool.inline is not None and tool.inline.text == (
        "FROM local/busybox:1\nARG GREETING=hi\nRUN echo ${GREETING} \\\n  > /greeting\n"
    )
    assert tool.dockerfile == tmp_path / "dockerfiles" / "tool.Dockerfile"
    assert tool.context == tmp_path
    one_line = images["one-line"].inline
    assert one_line is not None and one_line.text == 'FROM local/busybox:1\nCMD ["sh"]\n'
    assert [str(note) for note in proposal.unconverted] == [
        "docker-bake.hcl:5: target tool: dockerfile-inline: written to dockerfiles/tool.Dockerfile",
        "docker-bake.hcl:13: target one-line: dockerfile-inline: written to dockerfiles/one-line.Dockerfile",
    ]
    assert [str(note) for note in proposal.skipped] == [
        "docker-bake.hcl:16: target computed: dockerfile-inline: ${upper(BASE)} cannot be evaluated"
    ]
    assert not (tmp_path / "dockerfiles").exists()  # written with the config only


def test_an_inline_dockerfile_never_replaces_a_file(tmp_path: Path) -> None:
    bake = 'target "a" {\n  dockerfile-inline = "FROM x\\n"\n}\ntarget "b" {\n  dockerfile-inline = "FROM y\\n"\n}\n'
    files = {"docker-bake.hcl": bake, "dockerfiles/a.Dockerfile": "FROM x\n"}
    files["dockerfiles/b.Dockerfile"] = "FROM mine\n"
    proposal = proposal_for(tmp_path, files)
    assert [image.name for image in proposal.images] == ["a"]  # its file holds that text
    assert [str(note) for note in proposal.unconverted] == [
        "docker-bake.hcl:2: target a: dockerfile-inline: already in dockerfiles/a.Dockerfile"
    ]
    assert [str(note) for note in proposal.skipped] == [
        "docker-bake.hcl:5: target b: dockerfile-inline: not written: dockerfiles/b.Dockerfile "
        "exists with other content; move it, then run init again"
    ]
    assert (tmp_path / "dockerfiles/b.Dockerfile").read_text() == "FROM mine\n"


def test_an_inline_dockerfile_in_a_json_bake_file(tmp_path: Path) -> None:
    document = {
        "variable": {"BASE": {"default": "a:1"}},
        "target": {"web": {"dockerfile-inline": "FROM ${BASE}\nRUN echo $${HOME}\n"}},
    }
    files = {"docker-bake.json": json.dumps(document, indent=2)}
    (image,) = proposal_for(tmp_path, files, "docker-bake.json").images
    assert image.inline is not None and image.inline.text == "FROM a:1\nRUN echo ${HOME}\n"
