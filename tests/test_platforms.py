"""Platform strings, the engine's platform, emulation handlers and per-platform local refs."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.platforms import (
    Platform,
    PlatformError,
    emulated_platforms,
    engine_platform,
    parse_platform,
    variant_ref,
)

ARM64 = Platform("linux", "arm64")
AMD64 = Platform("linux", "amd64")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("linux/amd64", AMD64),
        ("linux/arm64", ARM64),
        ("linux/arm64/v8", ARM64),  # the default variant is left out, as BuildKit writes it
        ("linux/aarch64", ARM64),
        ("linux/x86_64", AMD64),
        ("Linux/AMD64", AMD64),
        ("linux/arm", Platform("linux", "arm", "v7")),
        ("linux/armhf", Platform("linux", "arm", "v7")),
        ("linux/arm/v6", Platform("linux", "arm", "v6")),
        ("windows/amd64", Platform("windows", "amd64")),
    ],
)
def test_parse_platform_normalises_spellings(text: str, expected: Platform) -> None:
    assert parse_platform(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("linux", "is not a platform"),
        ("linux//amd64", "is not a platform"),
        ("linux/amd64/v2/x", "is not a platform"),
        ("darwin/arm64", "unknown operating system 'darwin'"),
        ("linux/sparc", "unknown architecture 'sparc'"),
        ("linux/arm64/v7", "arm64 has no variant 'v7'"),
    ],
)
def test_parse_platform_refuses_with_a_hint(text: str, message: str) -> None:
    with pytest.raises(PlatformError) as raised:
        parse_platform(text)
    assert message in raised.value.message
    assert raised.value.hint


def test_platform_text_forms() -> None:
    arm7 = Platform("linux", "arm", "v7")
    assert str(arm7) == "linux/arm/v7"
    assert arm7.tag_suffix == "linux-arm-v7"
    assert arm7.descriptor() == {"architecture": "arm", "os": "linux", "variant": "v7"}
    assert ARM64.descriptor() == {"architecture": "arm64", "os": "linux"}


def test_engine_platform_reads_kernel_names() -> None:
    assert engine_platform("linux", "x86_64") == AMD64
    assert engine_platform("linux", "aarch64") == ARM64
    assert engine_platform("", "weird") == Platform("linux", "weird")


def test_variant_ref_appends_the_platform_to_the_tag() -> None:
    assert variant_ref("shop/base:dev", ARM64) == "shop/base:dev-linux-arm64"
    assert variant_ref("local/busybox", ARM64) == "local/busybox:latest-linux-arm64"
    assert variant_ref("127.0.0.1:5000/a/b:1", ARM64) == "127.0.0.1:5000/a/b:1-linux-arm64"


def _handler(folder: Path, name: str, *, enabled: bool = True, flags: str = "PF") -> None:
    state = "enabled" if enabled else "disabled"
    (folder / f"qemu-{name}").write_text(
        f"{state}\ninterpreter /usr/libexec/qemu-binfmt/{name}-binfmt-P\nflags: {flags}\n"
    )


def test_emulated_platforms_need_an_enabled_fix_binary_handler(tmp_path: Path) -> None:
    _handler(tmp_path, "aarch64")
    _handler(tmp_path, "arm", flags="P")  # no F: the interpreter is not found in containers
    _handler(tmp_path, "s390x", enabled=False)
    _handler(tmp_path, "x86_64")  # the native architecture is not emulated
    assert emulated_platforms(AMD64, tmp_path) == (ARM64,)


def test_no_binfmt_folder_means_no_emulation(tmp_path: Path) -> None:
    assert emulated_platforms(AMD64, tmp_path / "absent") == ()
