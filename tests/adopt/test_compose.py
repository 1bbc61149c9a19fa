from __future__ import annotations

from pathlib import Path

import pytest

from builder.adopt.compose import propose_from_compose
from builder.adopt.model import Proposal, Secret
from builder.errors import UsageError
from tests.adopt.helpers import COMPOSE, lay_out


def proposal_for(root: Path, files: dict[str, str] = COMPOSE) -> Proposal:
    lay_out(root, files)
    return propose_from_compose(root / "compose.yaml", root, "")


def test_build_sections_become_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGISTRY", raising=False)
    monkeypatch.delenv("TAG", raising=False)
    monkeypatch.delenv("UNSET_ARG", raising=False)
    images = {image.name: image for image in proposal_for(tmp_path).images}
    assert list(images) == ["web", "frontend", "migrate", "base", "api"]
    web = images["web"]
    assert (web.context, web.dockerfile) == (
        tmp_path / "app",
        tmp_path / "app/docker/app.Dockerfile",
    )
    assert (web.repository, web.tags, web.target) == (
        "127.0.0.1:5000/shop/app",
        ("1.4.0",),
        "runtime",
    )
    # .env over the default; the file's value was quoted
    assert dict(web.args) == {"PYTHON_VERSION": "3.11", "RELEASE": "1.4.0"}
    assert web.origin == "compose service web (compose.yaml:10), worker (compose.yaml:13)"
    frontend = images["frontend"]
    assert (frontend.repository, frontend.tags) == (
        "127.0.0.1:5000/shop/frontend",
        ("latest", "stable"),
    )
    assert dict(frontend.args) == {"NODE_ENV": "production"}
    assert dict(frontend.labels) == {"com.example.team": "web"}
    # normalised as the config reads them (aarch64 is arm64); the unknown one is noted
    assert [str(p) for p in frontend.platforms] == ["linux/amd64", "linux/arm64"]
    assert web.platforms == ()
    assert images["base"].repository == "shop-base"  # Compose's PROJECT-SERVICE
    api = images["api"]
    assert (api.depends_on, api.network) == (("base",), "host")
    assert api.secrets == (Secret("npm", env="NPM_TOKEN"),)


def test_what_cannot_be_converted_is_listed_with_its_line(tmp_path: Path) -> None:
    proposal = proposal_for(tmp_path)
    assert [str(note) for note in proposal.unconverted] == [
        "compose.yaml:25: services.frontend.build.tags: other/frontend:x names another repository: not converted",
        "compose.yaml:26: services.frontend.build.platforms: 'linux/sparc64': unknown architecture 'sparc64': not converted (known: amd64, arm64, arm, 386, ppc64le, s390x, riscv64, mips64le, loong64)",
        "compose.yaml:27: services.frontend.build.cache_from: not converted",
        "compose.yaml:29: services.migrate builds 127.0.0.1:5000/shop/app differently from "
        "services.web (compose.yaml:10): written with repository 127.0.0.1:5000/shop/app-migrate",
        "compose.yaml:40: services.api.build.additional_contexts.base: service:base becomes an edge (depends_on)",
    ]
    assert [str(note) for note in proposal.skipped] == ["compose.yaml:44: db: no build"]
    images = {image.name: image for image in proposal.images}
    assert images["migrate"].repository == "127.0.0.1:5000/shop/app-migrate"


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            {"compose.yaml": "- just\n- a list\n"},
            "compose.yaml:1: not a Compose file: no services mapping",
        ),
        ({"compose.yaml": "services:\n  a:\n    build: [\n"}, "compose.yaml:4: not valid YAML"),
        (
            {"compose.yaml": "services:\n  a:\n    build:\n      context: nowhere\n"},
            "compose.yaml:4: services.a.build.context: no folder",
        ),
        (
            {"compose.yaml": "services:\n  a:\n    image: x:${TAG:?set TAG}\n    build: .\n"},
            "compose.yaml:3: required variable TAG: set TAG",
        ),
    ],
)
def test_bad_input_is_one_line_with_file_and_line(
    tmp_path: Path, files: dict[str, str], error: str
) -> None:
    with pytest.raises(UsageError) as raised:
        proposal_for(tmp_path, files)
    assert str(raised.value).startswith(f"{tmp_path}/{error}")


def test_a_bare_arg_takes_its_value_from_the_environment_or_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROM_SHELL", "shell")
    monkeypatch.delenv("FROM_DOTENV", raising=False)
    monkeypatch.delenv("NOWHERE", raising=False)
    files = {
        ".env": "FROM_DOTENV=dotenv\nFROM_SHELL=loses\n",
        "compose.yaml": "services:\n  a:\n    build:\n      context: .\n      args: [FROM_SHELL, FROM_DOTENV, NOWHERE]\n",
        "Dockerfile": "FROM a:1\n",
    }
    (image,) = proposal_for(tmp_path, files).images
    assert dict(image.args) == {"FROM_SHELL": "shell", "FROM_DOTENV": "dotenv"}
    assert (image.repository, image.tags) == (f"{tmp_path.name.lower()}-a", ("latest",))
