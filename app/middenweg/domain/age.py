"""The age groups a user can pick; the same bands as the primary reference (Forrester Research, 2010)."""

from __future__ import annotations

import enum


class AgeGroup(enum.StrEnum):
    """An age band. "Prefer not to say" is ``None`` wherever an ``AgeGroup | None`` is taken."""

    UNDER_16 = "under-16"
    AGE_16_24 = "16-24"
    AGE_25_34 = "25-34"
    AGE_35_44 = "35-44"
    AGE_45_54 = "45-54"
    AGE_55_64 = "55-64"
    AGE_65_PLUS = "65+"

    @property
    def years(self) -> tuple[int, int | None]:
        """First and last year of age in the band (inclusive); None for an open upper end."""
        return _YEARS[self]


_YEARS: dict[AgeGroup, tuple[int, int | None]] = {
    AgeGroup.UNDER_16: (0, 15),
    AgeGroup.AGE_16_24: (16, 24),
    AgeGroup.AGE_25_34: (25, 34),
    AgeGroup.AGE_35_44: (35, 44),
    AgeGroup.AGE_45_54: (45, 54),
    AgeGroup.AGE_55_64: (55, 64),
    AgeGroup.AGE_65_PLUS: (65, None),
}
