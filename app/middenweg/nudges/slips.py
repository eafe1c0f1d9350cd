"""During an evening: when a slip deserves a nudge (the first at once, then at most one every 20 minutes).

A slip is what the evening's kind rules out: social and messaging apps on a phone-free evening, any use of this
computer on a screen-free one. Keys go into the delivered ledger, so a restart neither repeats a nudge nor
shortens the pause between two.
"""

from __future__ import annotations

from collections.abc import Sequence

from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningChange, EveningKind, Occurrence
from middenweg.evenings.recurrence import occurrences

#: The least time between two slip nudges of one evening.
SLIP_INTERVAL = 20 * 60
_DAY = 86400


def current_evening(
    evenings: Sequence[Evening], changes: Sequence[EveningChange], now: int
) -> tuple[Evening, Occurrence] | None:
    """The evening going on at ``now`` (the one that started first if two overlap), or None."""
    found: list[tuple[Occurrence, Evening]] = []
    for evening in evenings:
        mine = [c for c in changes if c.evening_id == evening.id]
        found += [(o, evening) for o in occurrences(evening, mine, now - _DAY, now + 1) if o.start <= now < o.end]
    if not found:
        return None
    occurrence, evening = min(found, key=lambda pair: pair[0])
    return evening, occurrence


#: What counts as a slip during an evening: social and messaging apps, or (screen-free) any tracked use.
SLIP_CATEGORIES: dict[EveningKind, tuple[Category, ...]] = {
    EveningKind.PHONE_FREE: (Category.SOCIAL, Category.MESSAGING),
    EveningKind.SCREEN_FREE: tuple(Category),
}


def is_slip(kind: EveningKind, category: Category | None) -> bool:
    """``category`` of what is in use now (None: nothing is, the user is away or tracking is paused)."""
    return category is not None and category in SLIP_CATEGORIES[kind]


def slip_prefix(occurrence: Occurrence) -> str:
    return f"slip:{occurrence.evening_id}:{occurrence.date.isoformat()}:"


def slip_nudge_due(last: int | None, now: int) -> bool:
    """The first slip of an evening is nudged at once; later ones when 20 minutes have passed since the last."""
    return last is None or now - last >= SLIP_INTERVAL
