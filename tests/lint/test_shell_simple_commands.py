"""`simple_commands`: the commands of a RUN script as hadolint (ShellCheck) sees them."""

from __future__ import annotations

import pytest

from builder.lint.shell import SimpleCommand, simple_commands


def programs(script: str) -> list[str]:
    return [command.program for command in simple_commands(script)]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("apt-get update && apt-get install -y curl", ["apt-get", "apt-get"]),
        ("a; b || c | d & e", ["a", "b", "c", "d", "e"]),
        ("FOO=1 BAR=$(pwd) pip install x", ["pip", "pwd"]),
        ("echo $(pip install foo) `apk add bar`", ["echo", "pip", "apk"]),
        ("(cd /x && make)", ["cd", "make"]),
        ("if [ -f a ]; then wget x; else curl y; fi", ["[", "wget", "curl"]),
        ("for p in a b; do pip install $p; done", ["pip"]),
        ("for p in a b\ndo pip install $p\ndone", ["pip"]),
        ("while read -r l; do echo $l; done < file", ["read", "echo"]),
        (
            "case $(uname -m) in x86_64) A=1 ;; *) wget x ;; esac && tar xf a",
            ["uname", "wget", "tar"],
        ),
        ("case $x in\n  a|b) ls ;;\n  (c) pwd ;;\nesac\necho done", ["ls", "pwd", "echo"]),
        ("[[ $(id -u) == 0 ]] && whoami", ["id", "whoami"]),
        ("command pip install x", ["pip"]),
        ("exec -a name gunicorn app", ["gunicorn"]),
        ("sudo pip install x", ["sudo"]),
        ("/usr/bin/pip install x", ["/usr/bin/pip"]),
        ("$PIP install x", []),
        ("cat <<EOF > /etc/x\napk add y\nEOF\nls", ["cat", "ls"]),
        ("cat <<-'END'\n\tpip install z\n\tEND\nls", ["cat", "ls"]),
        ("apk add curl > /dev/null 2>&1 && ls", ["apk", "ls"]),
        ("pip install x # pip install y", ["pip"]),
        ("apk add \\\n  curl \\\n  git", ["apk"]),
        ('echo "unterminated', ["echo"]),
    ],
)
def test_programs_in_order(script: str, expected: list[str]) -> None:
    assert programs(script) == expected


def test_words_lose_quotes_and_show_expansions_as_var() -> None:
    [command] = simple_commands("""pip install "a==$V" 'b>=1' c\\>2 ${D}x""")
    assert command.args == ("install", "a==${VAR}", "b>=1", "c>2", "${VAR}x")
    assert command.raw_args == ("install", "a==$V", "b>=1", "c>2", "${D}x")


def test_wrapped_program_keeps_its_name_in_the_arguments() -> None:
    assert simple_commands("command pip install x") == [
        SimpleCommand("pip", ("pip", "install", "x"), ("pip", "install", "x"))
    ]


def test_flags_as_hadolint_reads_them() -> None:
    [command] = simple_commands("apk add -qU --virtual .deps --repository=url x=1")
    assert [name for name, _ in command.flags] == ["q", "U", "virtual", "repository"]
    assert command.has_flag("U") and not command.has_flag("no-cache")
    assert command.args_no_flags(("virtual", "repository")) == ["add", "x=1"]
    assert command.flag_arguments("virtual") == [".deps"]


def test_deeply_nested_substitutions_do_not_recurse_forever() -> None:
    script = "echo " + "$(" * 200 + "ls" + ")" * 200
    assert programs(script)[0] == "echo"
