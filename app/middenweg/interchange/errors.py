"""Errors raised while reading exchanged files (ActivityWatch exports, Middenweg exports).

Every message is a sentence a person can act on: what is wrong, where in the file, and what to do. This module
must never format messages at import time or depend on anything beyond the standard library.
"""

from __future__ import annotations


class Error(Exception):
    """Base class for everything the interchange package raises."""


class ImportFormatError(Error):
    """A file cannot be imported as it is: it is unreadable, not the expected format, or has a bad entry.

    Nothing from such a file is returned, so a caller that imports in one transaction imports nothing.
    """
