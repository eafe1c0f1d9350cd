"""Categorisation: which windows count as social media, which as messaging, and what to call them.

Built-in rules (``builtin.toml``, package data) recognise the native apps and the sites in browser tabs; a user's
``rules.toml`` comes first and can override them. Pure: no I/O beyond reading the rules files it is given.

    rules, problems = load_rules(config_dir / "rules.toml")
    rules.classify("firefox", "(3) Facebook — Mozilla Firefox")  # Classification(SOCIAL, "Facebook")
"""

from __future__ import annotations

from middenweg.rules.browsers import is_browser
from middenweg.rules.engine import Classification, Rule, RuleOrigin, RuleProblem, RuleSet
from middenweg.rules.errors import Error
from middenweg.rules.loader import SCHEMA_VERSION, builtin_rules, load_rules

__all__ = [
    "SCHEMA_VERSION",
    "Classification",
    "Error",
    "Rule",
    "RuleOrigin",
    "RuleProblem",
    "RuleSet",
    "builtin_rules",
    "is_browser",
    "load_rules",
]
