from __future__ import annotations

from builder.suggest import hint_for


def test_a_close_choice_is_suggested() -> None:
    assert hint_for("imgae", ["image", "engine"], "keys") == "did you mean 'image'?"


def test_without_a_close_choice_every_choice_is_listed_under_its_kind() -> None:
    assert hint_for("zzz", ["web", "api"], "images") == "images: web, api"


def test_choices_may_be_a_mapping_or_a_generator() -> None:
    assert hint_for("wbe", {"web": 1, "api": 2}, "images") == "did you mean 'web'?"
    assert hint_for("x", (name for name in ("a", "b")), "images") == "images: a, b"


def test_no_choices_gives_an_empty_list() -> None:
    assert hint_for("x", [], "templates") == "templates: "
