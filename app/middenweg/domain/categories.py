"""What a stretch of screen time counts as.

The report only cares about ``social`` and ``messaging``; everything else is ``other``.
"""

from __future__ import annotations

import enum


class Category(enum.StrEnum):
    """A category of use. The string values are part of the JSON schema and the rules file format."""

    SOCIAL = "social"
    MESSAGING = "messaging"
    OTHER = "other"


#: The order categories appear in reports and JSON.
CATEGORY_ORDER: tuple[Category, ...] = (Category.SOCIAL, Category.MESSAGING, Category.OTHER)
