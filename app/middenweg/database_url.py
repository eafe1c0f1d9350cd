"""The address of a shared PostgreSQL database (the ``database-url`` setting): checked, given the psycopg driver, and
shown with its password masked.

Plain text work with ``urllib``, so that the settings can check a URL without loading SQLAlchemy. This module never
connects to anything, and no text it returns for showing ever holds the password (neither the one after the user name
nor a ``password=`` parameter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from middenweg.i18n import _

#: The scheme Middenweg opens a server with: SQLAlchemy's PostgreSQL dialect on the psycopg (3) driver.
DRIVER_SCHEME = "postgresql+psycopg"
#: Schemes a person may write; the plain ones mean the same server and are given the psycopg driver.
_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")
#: What a password is replaced with wherever a URL is shown.
MASK = "***"
_MAX_LENGTH = 2000
#: A libpq parameter that holds a secret (``password=``, ``sslpassword=``) and its value, up to the next ``&``.
_SECRET_PARAMETER = re.compile(r"((?:^|[?&])[^=&?]*password=)[^&]*", re.IGNORECASE)


class DatabaseUrlError(ValueError):
    """Not a URL Middenweg can use; ``str(error)`` is one sentence saying what to write instead."""


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """What a message names: the server (host, or the socket folder), the database and the user."""

    server: str
    database: str
    user: str


def normalise(text: str) -> str:
    """``text`` as the URL Middenweg opens (``postgresql+psycopg://...``); raises ``DatabaseUrlError``."""
    url = text.strip()
    if not url or len(url) > _MAX_LENGTH or not url.isprintable() or any(char.isspace() for char in url):
        raise DatabaseUrlError(_("A URL is one line of text without spaces."))
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep:
        raise DatabaseUrlError(_("Write it as postgresql+psycopg://USER:PASSWORD@HOST/DATABASE."))
    if scheme.startswith(("postgresql+", "postgres+")) and scheme not in _SCHEMES:
        raise DatabaseUrlError(
            _(
                "Middenweg talks to PostgreSQL through psycopg: write postgresql+psycopg://… instead of {scheme}://…"
            ).format(scheme=scheme)
        )
    if scheme not in _SCHEMES:
        raise DatabaseUrlError(
            _("Only a PostgreSQL server can be shared; write postgresql+psycopg://USER:PASSWORD@HOST/DATABASE.")
        )
    parts = urlsplit(f"{DRIVER_SCHEME}://{rest}")
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise DatabaseUrlError(_("The port after the host must be a number, such as 5432.")) from None
    database = unquote(parts.path.removeprefix("/"))
    if not database or "/" in database or parts.fragment:
        raise DatabaseUrlError(_("Name the database after the host: postgresql+psycopg://USER:PASSWORD@HOST/DATABASE."))
    return f"{DRIVER_SCHEME}://{rest}"


def masked(url: str) -> str:
    """``url`` with every password replaced by ``***``: the only form in which a URL is ever shown.

    Also safe for text that is no valid URL (a value refused by the settings): everything between the first ``:``
    of the user part and the last ``@`` goes, so a password with an unescaped ``@``, ``/`` or ``?`` never shows.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    rest = _SECRET_PARAMETER.sub(rf"\g<1>{MASK}", rest)
    userinfo, at, tail = rest.rpartition("@")
    if not at:
        return f"{scheme}{sep}{rest}"
    user, colon, _password = userinfo.partition(":")
    return f"{scheme}{sep}{user}:{MASK}@{tail}" if colon else f"{scheme}{sep}{rest}"


def address(url: str) -> ServerAddress:
    """The server, database and user that ``url`` names, for messages (never the password)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    userinfo, at, hosts = netloc.rpartition("@")
    user = unquote(userinfo.partition(":")[0]) if at else ""
    query = dict(parse_qsl(parts.query))
    server = unquote(hosts) or query.get("host", "")
    return ServerAddress(
        server=server or _("this computer"),
        database=unquote(parts.path.removeprefix("/")),
        user=user or query.get("user", ""),
    )
