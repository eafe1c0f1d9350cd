"""What of a window may be stored: cleaning titles, the title policy, and windows that are never stored in full.

Titles are always used in memory to recognise a social site in a browser tab; this decides whether they reach the
database. Pure: no I/O.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass

from middenweg.domain import lengths
from middenweg.domain.categories import Category

#: Longer titles are cut: nobody reads past this, and a 1 MB title must not reach the database.
MAX_TITLE = 1000
#: An app name is cut to what its column holds (PostgreSQL refuses longer ones; see ``domain.lengths``).
MAX_APP = lengths.APP_NAME
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


class TitlePolicy(enum.StrEnum):
    SOCIAL_ONLY = "social-only"
    ALL = "all"
    NONE = "none"


#: Windows whose titles are never stored (only the app name): password managers and private browsing.
DEFAULT_EXCLUSIONS: tuple[str, ...] = (
    "app:keepassxc",
    "app:keepass*",
    "app:1password*",
    "app:bitwarden*",
    "app:lastpass*",
    "app:dashlane*",
    "app:enpass*",
    "app:proton pass*",
    "app:seahorse",
    "title:*private browsing*",
    "title:*privénavigatie*",
    "title:*incognito*",
    "title:*inprivate*",
    "title:*privé-venster*",
    "title:*private window*",
)


def clean_text(raw: str | bytes | None, limit: int) -> str | None:
    """Text safe to store and show: valid UTF-8, no control or bidi-override characters, one line, capped."""
    if raw is None:
        return None
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates -> "?"
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    return lengths.shorten(text, limit) or None


@dataclass(frozen=True, slots=True)
class Exclusions:
    """Glob patterns, each "app:PATTERN" or "title:PATTERN", matched case-insensitively."""

    apps: tuple[re.Pattern[str], ...]
    titles: tuple[re.Pattern[str], ...]

    @classmethod
    def from_patterns(cls, patterns: Iterable[str]) -> Exclusions:
        apps: list[re.Pattern[str]] = []
        titles: list[re.Pattern[str]] = []
        for pattern in patterns:
            kind, _, glob = pattern.partition(":")
            compiled = re.compile(fnmatch.translate(glob.casefold()), re.DOTALL)
            (apps if kind == "app" else titles).append(compiled)
        return cls(tuple(apps), tuple(titles))

    def excludes(self, app: str, title: str | None) -> bool:
        name = app.casefold().removesuffix(".exe")
        if any(p.match(name) for p in self.apps):
            return True
        if title is None:
            return False
        folded = title.casefold()
        return any(p.match(folded) for p in self.titles)


DEFAULT = Exclusions.from_patterns(DEFAULT_EXCLUSIONS)


def stored_title(
    app: str, title: str | None, category: Category, policy: TitlePolicy, exclusions: Exclusions = DEFAULT
) -> str | None:
    """The title as it may be stored, or None when the policy or an exclusion keeps it out."""
    if title is None or policy is TitlePolicy.NONE:
        return None
    if policy is TitlePolicy.SOCIAL_ONLY and category is Category.OTHER:
        return None
    if exclusions.excludes(app, title):
        return None
    return title
