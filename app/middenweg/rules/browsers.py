"""Which apps are web browsers, and what the page title is inside a browser's window title.

A browser's window title is the page title plus furniture: the browser's name ("— Mozilla Firefox"), Edge's
profile ("- Personal - Microsoft​ Edge", with a zero width space in the name), Chrome's notes about the tab
("- Audio playing", "- High memory usage - 1.6 GB"), Edge's "and 3 more pages", and the page's own unread counter
("(3) "). The rules match page titles by their structure ("Video - YouTube"), so this module takes the furniture
off. It is pure string work: it must never do I/O or know which sites exist.
"""

from __future__ import annotations

import functools
import re

#: Invisible formatting characters that only get in the way of matching: zero width space and non-joiner, the
#: byte order mark, and the bidirectional marks, embeddings and isolates that right-to-left titles carry.
#: The zero width joiner stays: it is part of emoji.
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\ufeff\u202a-\u202e\u2066-\u2069]")

#: Titles longer than this are matched by their first and last half of it: no real title is that long, and a
#: bound keeps one absurd title from costing much (the browser's suffix sits at the end, the counter at the start).
MAX_TITLE_CHARS = 2048

#: App identities of web browsers, after `app_key` (case folded, without ".exe"). Linux: WM_CLASS class and
#: instance ("Navigator" is Firefox's instance name) and flatpak ids; Windows: executable names; macOS: app
#: names and bundle ids; ActivityWatch and Android names. Only these windows get the built-in title rules.
BROWSER_APPS: frozenset[str] = frozenset(
    {
        # Firefox and its relatives
        "firefox", "navigator", "mozilla firefox", "firefox-esr", "firefox esr", "firefox-bin",
        "firefox developer edition", "firefoxdeveloperedition", "firefox-developer-edition", "firefox-nightly",
        "firefox nightly", "nightly", "firefox beta", "org.mozilla.firefox", "org.mozilla.firefoxdeveloperedition",
        "org.mozilla.nightly", "org.mozilla.firefox_beta", "org.mozilla.fenix", "librewolf",
        "io.gitlab.librewolf-community", "waterfox", "net.waterfox.waterfox", "floorp", "one.ablaze.floorp",
        "zen", "zen browser", "zen-browser", "zen-alpha", "zen-beta", "app.zen_browser.zen", "app.zen-browser.zen",
        "tor browser", "torbrowser", "torbrowser-launcher", "org.torproject.torbrowser", "mullvad browser",
        "mullvadbrowser", "mullvad-browser", "seamonkey", "palemoon", "pale moon",
        # Chrome and Chromium
        "chrome", "google chrome", "google-chrome", "google-chrome-stable", "google-chrome-beta",
        "google-chrome-unstable", "google-chrome-canary", "google chrome beta", "google chrome canary",
        "google chrome dev", "com.google.chrome", "com.google.chrome.beta", "com.google.chrome.canary",
        "com.google.chrome.dev", "com.android.chrome", "chromium", "chromium-browser", "ungoogled-chromium",
        "org.chromium.chromium", "io.github.ungoogled_software.ungoogled_chromium", "thorium", "thorium-browser",
        "cromite", "supermium", "iridium",
        # Edge
        "msedge", "microsoft edge", "microsoft-edge", "microsoft-edge-stable", "microsoft-edge-beta",
        "microsoft-edge-dev", "microsoft edge beta", "microsoft edge dev", "microsoft edge canary",
        "com.microsoft.edgemac", "com.microsoft.edgemac.beta", "com.microsoft.edgemac.dev",
        "com.microsoft.edgemac.canary", "com.microsoft.edge", "com.microsoft.emmx",
        # Brave, Opera, Vivaldi, Arc and others
        "brave", "brave browser", "brave-browser", "brave-browser-beta", "brave-browser-nightly",
        "brave browser beta", "brave browser nightly", "com.brave.browser", "com.brave.browser.beta", "opera",
        "opera gx", "opera_gx", "opera-beta", "opera-developer", "com.operasoftware.opera",
        "com.operasoftware.operagx", "com.opera.browser", "vivaldi", "vivaldi-stable", "vivaldi-snapshot",
        "vivaldi-bin", "com.vivaldi.vivaldi", "com.vivaldi.browser", "arc", "company.thebrowser.browser",
        "orion", "com.kagi.kagimacos", "duckduckgo", "com.duckduckgo.macos.browser", "yandex", "yandex-browser",
        "yandex-browser-stable", "yandex-browser-beta", "ru.yandex.desktop.yandex-browser", "epiphany",
        "org.gnome.epiphany", "falkon", "org.kde.falkon", "qutebrowser", "org.qutebrowser.qutebrowser", "midori",
        "konqueror", "iexplore", "samsung internet", "com.sec.android.app.sbrowser",
        # Safari
        "safari", "com.apple.safari", "safari technology preview", "com.apple.safaritechnologypreview",
    }
)  # fmt: skip

#: Installed web apps (PWAs) run in their own windows with their own class: Chrome and Chromium "crx_<id>",
#: Chromium-based browsers "<browser>-<id>-<profile>" (the id is 32 letters a-p; Edge puts "_" before it),
#: Firefox PWA "FFPWA-<ulid>".
_WEB_APP = re.compile(
    r"(?:crx_[a-p]{32}|(?:chrome|chromium|msedge|brave|vivaldi)-_?[a-p]{32}-.+|ffpwa-[0-9a-z]{26})", re.ASCII
)

_SEP = r"\s[-–—]\s"
#: How many separators from the end the browser's name may be (page notes and a Chrome profile come after it).
_MAX_SEGMENTS_AFTER = 6
#: The browser's own name after a separator, and what may follow it to the end. Long names may be followed by
#: anything (a Chrome profile, "Private Browsing", "(Incognito)"); short ones, which are also ordinary words, only
#: by an edition, a private-window note or a profile. The last such name in the title wins, so a page about
#: "Google Chrome" keeps its name.
_BRAND = re.compile(
    r"(?:mozilla\s?firefox|firefox|google\s?chrome|(?P<edge>microsoft\s?edge)|ungoogled\s?chromium|tor\s?browser"
    r"|mullvad\s?browser|zen\s?browser|yandex\s?browser|qutebrowser|duckduckgo)(?:\W.*)?"
    r"|(?:chromium|brave|opera(?:\sgx)?|vivaldi|librewolf|waterfox|floorp|thorium|falkon|seamonkey|pale\s?moon"
    r"|midori|konqueror|arc|orion|epiphany|cromite|supermium)"
    r"(?:\s(?:beta|dev|developer|nightly|canary|snapshot|\(incognito\)|\(private\)|incognito|private))?"
    rf"(?:{_SEP}.*)?",
    re.IGNORECASE | re.DOTALL,
)
#: Notes Chrome and Edge add about a tab (English; other languages keep them, which only costs a match).
_NOTES = re.compile(
    rf"(?P<page>.*?)(?:{_SEP}(?:audio\splaying|audio\smuted|video\splaying|camera\sor\smicrophone\srecording"
    r"|camera\srecording|microphone\srecording|(?:high\s)?memory\susage(?:\s[-–—]\s[\d.,]+\s?[kmgt]i?b)?"
    r"|bluetooth\sdevice\sconnected|usb\sdevice\sconnected|hid\sdevice\sconnected|serial\sport\sactive"
    r"|desktop\scontent\sshared|tab\scontent\sshared|picture\sin\spicture\splaying|network\serror))+",
    re.IGNORECASE | re.DOTALL,
)
#: Words in every note, to skip the notes pattern for the many titles without any.
_NOTE_WORDS = ("playing", "muted", "recording", "usage", "connected", "active", "shared", "network")
#: Edge sometimes counts more pages in its title, "Page and 3 more pages"; and the words that show it may.
_MORE_PAGES_WORDS = ("more page", "pagina", "weitere", "autre")
_MORE_PAGES = re.compile(
    r"(?P<page>.*?)\s(?:and\s\d+\smore\spages?|en\s(?:nog\s)?\d+\s(?:andere\s|meer\s)?pagina'?s?"
    r"|und\s\d+\sweitere\sseiten?|et\s\d+\sautres?\spages?)",
    re.IGNORECASE | re.DOTALL,
)
#: The page's own unread counter: "(3) Facebook", "(99+) WhatsApp".
_COUNTER = re.compile(r"\(\d{1,7}\+?\)\s*")


def app_key(app: str) -> str:
    """``app`` as the rules compare it: without surrounding spaces, case folded."""
    return app.strip().casefold()


def without_exe(key: str) -> str:
    """``key`` without a trailing ".exe", so "WhatsApp.exe" and "WhatsApp" are the same app."""
    return key[:-4] if key.endswith(".exe") and len(key) > 4 else key


@functools.lru_cache(maxsize=4096)
def is_browser(app: str) -> bool:
    """Whether ``app`` (as the tracker or an import names it) is a web browser or a web app window of one."""
    key = without_exe(app_key(app))
    return key in BROWSER_APPS or _WEB_APP.fullmatch(key) is not None


def clean_title(title: str) -> str:
    """``title`` without invisible formatting characters and cut to a bounded length."""
    text = title if title.isascii() else _INVISIBLE.sub("", title)
    if len(text) > MAX_TITLE_CHARS:
        half = MAX_TITLE_CHARS // 2
        text = text[:half] + text[-half:]
    return text


def page_titles(title: str, lowered: str | None = None) -> tuple[str, ...]:
    """The readings of the page title inside browser window title ``title`` (already `clean_title`-ed).

    Usually one; two for Edge, whose profile name cannot be told from the page title by its form; none when the
    title is only furniture. Never empty strings; the title itself when there is no furniture to take off.
    ``lowered`` is ``title.lower()`` if the caller has it already.
    """
    if lowered is None:
        lowered = title.lower()
    pages = [title]
    brand = _find_brand(title)
    if brand is not None:
        pages[0] = title[: brand.start() - 3]
        if brand["edge"] is not None:
            # Edge puts the profile before its name: "Page - Personal - Microsoft Edge". Profiles can be called
            # anything, so both readings are tried: with and without the last segment.
            page = pages[0]
            at = max(page.rfind(" - "), page.rfind(" – "), page.rfind(" — "))
            if at >= 0:
                pages.append(page[:at])
    more_pages = len(pages) > 1 and any(word in lowered for word in _MORE_PAGES_WORDS)
    notes = brand is not None and any(word in lowered for word in _NOTE_WORDS)
    found: list[str] = []
    for page in pages:
        if notes:
            page = _strip(_NOTES, page)
        if more_pages:
            page = _strip(_MORE_PAGES, page)
            if notes:
                page = _strip(_NOTES, page)
        counter = _COUNTER.match(page)
        if counter is not None:
            page = page[counter.end() :]
        page = page.strip()
        if page and page not in found:
            found.append(page)
    return tuple(found)


def _find_brand(title: str) -> re.Match[str] | None:
    """The browser's name and what follows it, found after one of the last few separators."""
    end = len(title)
    for _ in range(_MAX_SEGMENTS_AFTER):
        at = max(title.rfind(" - ", 0, end), title.rfind(" – ", 0, end), title.rfind(" — ", 0, end))
        if at < 0:
            return None
        found = _BRAND.fullmatch(title, at + 3)
        if found is not None:
            return found
        end = at
    return None


def _strip(pattern: re.Pattern[str], page: str) -> str:
    cut = pattern.fullmatch(page)
    return page if cut is None else cut["page"]


def suffix_patterns() -> tuple[str, ...]:
    """What decides browsers' web apps and page titles, as text; part of the rules' fingerprint."""
    return (
        _WEB_APP.pattern,
        _BRAND.pattern,
        _NOTES.pattern,
        _MORE_PAGES.pattern,
        _COUNTER.pattern,
        _INVISIBLE.pattern,
        str(MAX_TITLE_CHARS),
    )
