"""The one translation layer: gettext catalogues with English source strings and a Dutch translation.

Every user-visible string in the CLI, notifications and GUI goes through ``_`` (or ``ngettext``). Strings defined at
import time (tables, data) are marked with ``N_`` and translated where they are shown. The active language is
process-wide, like the locale itself; ``activate`` is called once by bootstrap (and by tests that check Dutch).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "middenweg"
LOCALE_DIR = Path(__file__).parent / "locale"
#: Languages with a catalogue, and the name each one has in its own language.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_code = "en"


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it yet (it is translated where it is shown)."""
    return message


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The catalogue that best fits the system locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code in ("c", "posix"):
                return "en"
        # The first variable that is set decides, as in gettext itself.
        return "en"
    return "en"


def resolve_language(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """``setting`` is "system" or a language code; returns a code that has a catalogue."""
    if setting in LANGUAGES:
        return setting
    return system_language(environ)


def activate(language: str) -> None:
    """Switch every later ``_`` call to ``language`` ("en" or "nl"); unknown codes fall back to English."""
    global _active, _active_code
    code = language if language in LANGUAGES else "en"
    if code == "en":
        _active = gettext.NullTranslations()
    else:
        _active = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)
    _active_code = code


def decimal(value: float, digits: int) -> str:
    """A number with a decimal point in English and a decimal comma in Dutch ("7.5" / "7,5")."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if _active_code == "nl" else text


def active_language() -> str:
    return _active_code
