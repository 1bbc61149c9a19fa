"""When the index of an image of several platforms is staged (builder.index_staging): once all
its variants are built, never for variants that were all already there or when one failed;
what the publish takes; a failure that leaves the publish to do the work. Fakes for the graph
and the registry; the real run is in tests/publish/test_index_staging_real.py."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from builder import index_staging
from builder.errors import RegistryError
from builder.events import ImageFinished, ImageResult, Status
from builder.index_staging import IndexStaging
from builder.platforms import parse_platform
from builder.retry import RetryPolicy

AMD64, ARM64 = parse_platform("linux/amd64"), parse_platform("linux/arm64")
PLACES = {"base": [("reg:5000", "team/base", "1.0")], "app": [("reg:5000", "team/app", "1.0")]}


def node(image: str, platform: Any) -> Any:
    return SimpleNamespace(spec=SimpleNamespace(name=image), platform=platform)


GRAPH: Any = SimpleNamespace(
    nodes={
        "base": node("base", AMD64),
        "base@linux/arm64": node("base", ARM64),
        "app": node("app", AMD64),
        "app@linux/arm64": node("app", ARM64),
        "plain": node("plain", None),
    }
)


@pytest.fixture
def staging(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[IndexStaging, list[Any]]]:
    staged: list[Any] = []

    def stage(self: IndexStaging, key: Any, tag: str) -> str:
        staged.append((key, tag))
        return f"index of {key[1]}"

    monkeypatch.setattr(IndexStaging, "_stage", stage)
    made = IndexStaging(GRAPH, engine=None, places=PLACES, retry=RetryPolicy())  # type: ignore[arg-type]
    yield made, staged
    made.close()


def finished(name: str, status: Status = Status.BUILT, image_id: str | None = None) -> Any:
    return ImageFinished(ImageResult(name, status, image_id=image_id or f"sha256:{name}"))


def test_an_image_is_staged_once_all_its_variants_are_built(
    staging: tuple[IndexStaging, list[Any]],
) -> None:
    made, staged = staging
    heard: list[Any] = []
    emit = made.listening(heard.append)
    emit(finished("base@linux/arm64"))
    assert staged == [] and len(heard) == 1  # forwarded; one variant still to come
    emit(finished("base", Status.SKIPPED))
    made.close()
    variants = ((AMD64, "sha256:base"), (ARM64, "sha256:base@linux/arm64"))  # graph order
    assert staged == [(("reg:5000", "team/base", variants), "1.0")]
    taken: object = made.take("reg:5000", "team/base", variants)
    assert taken == "index of team/base"
    assert made.take("reg:5000", "team/base", variants[:1]) is None  # other variants
    assert made.take("reg:5000", "team/app", variants) is None


def test_nothing_is_staged_when_every_variant_was_there_or_one_failed(
    staging: tuple[IndexStaging, list[Any]],
) -> None:
    made, staged = staging
    emit = made.listening(lambda _: None)
    for name in ("base", "base@linux/arm64"):
        emit(finished(name, Status.SKIPPED))
    emit(finished("app", Status.BUILT))
    emit(ImageFinished(ImageResult("app@linux/arm64", Status.FAILED, error="RUN false")))
    emit(finished("plain"))
    made.close()
    assert staged == []


def test_a_failed_staging_leaves_the_work_to_the_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    class Client:
        def get_manifest(self, repository: str, tag: str) -> None:
            return None

        def close(self) -> None:
            pass

    def refuse(*_: object, **__: object) -> None:
        raise RegistryError("registry reg:5000 answered HTTP 500")

    monkeypatch.setattr("builder.registry.RegistryClient.for_registry", lambda *_: Client())
    monkeypatch.setattr(index_staging, "push_index", refuse)
    made = IndexStaging(GRAPH, engine=None, places=PLACES, retry=RetryPolicy())  # type: ignore[arg-type]
    emit = made.listening(lambda _: None)
    emit(finished("base"))
    emit(finished("base@linux/arm64"))
    variants = ((AMD64, "sha256:base"), (ARM64, "sha256:base@linux/arm64"))
    assert made.take("reg:5000", "team/base", variants) is None
    made.close()
