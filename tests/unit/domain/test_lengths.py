"""Shortening text to what a column holds: the same result every time, never longer than the limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from middenweg.domain.lengths import shorten


def test_text_that_fits_is_kept_as_it_is() -> None:
    assert shorten("WhatsApp", 8) == "WhatsApp"
    assert shorten("", 8) == ""


def test_longer_text_ends_in_an_ellipsis_without_spaces_before_it() -> None:
    assert shorten("WhatsApp Web", 9) == "WhatsApp…"
    assert shorten("abcdefghij", 5) == "abcd…"


@given(st.text(), st.integers(1, 300))
def test_shortened_text_fits_and_shortening_again_changes_nothing(text: str, limit: int) -> None:
    once = shorten(text, limit)
    assert len(once) <= limit
    assert shorten(once, limit) == once
    assert once == text or (once.endswith("…") and text.startswith(once[:-1]))
