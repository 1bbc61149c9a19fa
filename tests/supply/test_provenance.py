"""Which build-arg values the provenance statement withholds (`public_args`)."""

from __future__ import annotations

from builder.supply.provenance import REDACTED, BuildFacts, public_args, statement

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def test_plain_values_are_kept_and_secret_looking_ones_withheld() -> None:
    args = {
        "VERSION": "1.2.3",
        "NPM_TOKEN": "npm-value-1",
        "db_password": "hunter22",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "MIRROR": "https://user:pa55word@mirror.example/simple",
        "GH": TOKEN,
        "FLAVOUR": "with-the-secret-s3cr3t-inside",
    }
    shown = public_args(args, ["s3cr3t", "ab"])  # "ab" is too short to withhold by
    assert shown == {
        "VERSION": "1.2.3",
        "NPM_TOKEN": REDACTED,
        "db_password": REDACTED,
        "AWS_ACCESS_KEY_ID": REDACTED,
        "MIRROR": REDACTED,
        "GH": REDACTED,
        "FLAVOUR": REDACTED,
    }
    assert public_args({"LABEL": "abc"}, ["ab"]) == {"LABEL": "abc"}


def test_the_statement_holds_no_withheld_value() -> None:
    args = {"VERSION": "1.2.3", "API_TOKEN": "tok-987654", "GH": TOKEN}
    facts = BuildFacts(
        image="api",
        source={},
        config=("imgbuild.toml", "0" * 64),
        dockerfile=("api/Dockerfile", "1" * 64),
        args=public_args(args),
        secret_names=("npmrc",),
        target=None,
        bases={},
        input_digest=None,
        builder="classic",
        engine_version="26.1",
    )
    text = statement(facts, "r.example/api", "sha256:" + "2" * 64).decode()
    assert "tok-987654" not in text and TOKEN not in text
    assert '"VERSION":"1.2.3"' in text and '"API_TOKEN":"<redacted>"' in text
    assert '"secrets":["npmrc"]' in text
