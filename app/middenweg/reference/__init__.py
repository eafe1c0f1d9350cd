"""Age-group reference figures with their provenance, and the comparison of a user's week with them.

``sources`` holds the published figures exactly as the specification gives them; ``compare`` picks and words
them for one age group. The package is pure: it must never do I/O, read a clock, or invent a number where a
source gives none.
"""

from middenweg.reference.compare import (
    Bound,
    Comparison,
    Error,
    ReferenceFigure,
    compare,
    comparison_sentence,
    format_duration,
)

__all__ = [
    "Bound",
    "Comparison",
    "Error",
    "ReferenceFigure",
    "compare",
    "comparison_sentence",
    "format_duration",
]
