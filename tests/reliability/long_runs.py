"""``MIDDENWEG_LONG=1``: the reliability tests' long runs (more kills, more fuzzing examples, a simulated month),
marked slow, instead of the shorter versions CI runs. README's "Reliability" gives both sets of numbers."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

LONG = os.environ.get("MIDDENWEG_LONG") == "1"
#: For a module's ``pytestmark``: slow only in the long run.
SLOW_WHEN_LONG = [pytest.mark.slow] if LONG else []


def fuzz(examples: int) -> settings:
    """Hypothesis settings: ``examples`` in CI, twenty times as many with MIDDENWEG_LONG=1; never a deadline."""
    return settings(
        max_examples=examples * 20 if LONG else examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )
