"""Loading rules from the one table in `builder.lint.rules`, lazily and once.

Linting a file imports only the rule modules that will run; `--list-rules` and `--explain` import
what they show.
"""

from __future__ import annotations

import functools
from importlib import import_module

from builder.errors import UsageError
from builder.lint.model import Rule
from builder.lint.rules import RULE_MODULES, RULE_WORDS

_PACKAGE = "builder.lint.rules"


def all_codes() -> list[str]:
    """Every rule code of the table, sorted."""
    return sorted(RULE_MODULES)


def module_name(code: str) -> str:
    """The full module path of a rule (the table may name it relative to the rules package)."""
    name = RULE_MODULES[code][0]
    return name if name.startswith("builder.") else f"{_PACKAGE}.{name}"


def reports_on(code: str) -> frozenset[str]:
    """The instructions the rule reports on (empty: it runs on every file), from the table."""
    return frozenset(RULE_MODULES[code][1].split())


def needs_words(code: str) -> tuple[str, ...]:
    """Strings one of which a file must hold for the rule to report on it (empty: none)."""
    return RULE_WORDS.get(code, ())


@functools.cache
def load_rule(code: str) -> Rule:
    """The `RULE` of the module the table names for `code`."""
    if code not in RULE_MODULES:
        raise UsageError(f"unknown rule {code!r}", hint="run `imgbuild lint --list-rules`")
    rule = getattr(import_module(module_name(code)), "RULE", None)
    if not isinstance(rule, Rule) or rule.code != code:
        raise UsageError(
            f"rule module {module_name(code)} does not define RULE with code {code}",
            hint="this is a bug in imgbuild; please report it",
        )
    return rule


def load_rules(codes: list[str] | None = None) -> list[Rule]:
    """The rules for `codes` (all of them by default), in code order."""
    return [load_rule(code) for code in sorted(codes if codes is not None else RULE_MODULES)]


def is_known(code: str) -> bool:
    return code in RULE_MODULES
