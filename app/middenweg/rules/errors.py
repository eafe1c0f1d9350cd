"""The error the rules package raises when it cannot work at all.

Bad content in a user's ``rules.toml`` is never an exception: it becomes a ``RuleProblem`` and the rest keeps
working. ``Error`` is only for a broken installation (the built-in rules missing or damaged), which no user edit
can cause and no caller can work around.
"""

from __future__ import annotations


class Error(Exception):
    """The categorisation rules cannot be used; the message says what to do."""
