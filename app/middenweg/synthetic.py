"""A seeded, synthetic but realistic history of one person's computer use, for the demo, benchmarks and tests.

About eight active hours a day (more on weekdays, less at weekends, some days not at all), a focus change every
forty seconds or so with a long tail (a video can run for an hour), some thirty apps of which about ten are social
or messaging, as native apps and as browser tabs, with titles drawn from per-app pools so they repeat the way real
ones do. Work sittings fill the weekday daytime; leisure sittings (heavier on social media) fill evenings and
weekends. Activity is laid out in the local daytime and evening of a time zone and never overlaps. It comes out as
``Day`` values with their sittings, as ``WindowActivity`` values, or as ``UsageEvent`` values categorised the way
the generator meant them. This module is pure: it must never read the clock, touch files, the network, the
database or anybody's real history, and it uses the standard library and ``middenweg.domain`` only. The same seed,
dates and time zone always give the same events, on every machine (``GENERATOR_VERSION`` changes when they would
not).
"""

from __future__ import annotations

import enum
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from middenweg.domain.categories import Category
from middenweg.domain.events import UsageEvent, WindowActivity

#: Bumped whenever the same seed would give different events, so cached benchmark histories are rebuilt.
GENERATOR_VERSION = 1
#: Breaks are longer than aw-watcher-afk's 180 s timeout, so every break shows up as AFK.
MIN_BREAK = 240
#: Nobody is at this computer after 23:45 local time; a day's activity never runs into the next day.
LAST_END = 23 * 3600 + 45 * 60
#: How far back in an app's recently seen titles a revisit usually reaches (exponential), and how many it keeps.
_REVISIT_SPREAD = 3.0
_RECENT = 40
#: Chance that a focus change goes back to the previous app (alt-tab) rather than somewhere new.
_ALT_TAB = 0.3

_HOUR = 3600


class Mode(enum.Enum):
    """What a sitting at the computer is mostly for; it sets how likely each app is."""

    WORK = "work"
    LEISURE = "leisure"


class Browser(enum.Enum):
    """The two browsers this person uses: the app name ActivityWatch reports and the title suffix it adds."""

    FIREFOX = ("firefox", " — Mozilla Firefox")
    CHROME = ("Google-chrome", " - Google Chrome")

    @property
    def app(self) -> str:
        return self.value[0]

    @property
    def suffix(self) -> str:
        return self.value[1]


@dataclass(frozen=True, slots=True)
class Dwell:
    """How long one visit lasts: exponential around ``mean``, plus a lognormal tail for long sittings."""

    mean: float
    tail_share: float = 0.0
    tail_median: float = 600.0
    tail_sigma: float = 0.8

    def draw(self, rng: random.Random) -> int:
        if self.tail_share and rng.random() < self.tail_share:
            seconds = rng.lognormvariate(math.log(self.tail_median), self.tail_sigma)
        else:
            seconds = rng.expovariate(1.0 / self.mean)
        return max(1, round(seconds))


TitleMaker = Callable[[random.Random], str]


@dataclass(frozen=True, slots=True)
class Source:
    """One thing a person does at the computer: a native app, or a kind of site in a browser (``app`` None)."""

    name: str
    app: str | None
    category: Category
    label: str | None  # None: labelled by the app (the browser, for ordinary sites)
    work: float
    leisure: float
    dwell: Dwell
    make_title: TitleMaker
    new_title: float  # chance that a visit shows a title not among the recent ones
    counter: float = 0.0  # sites: chance of an unread counter "(3) " in front of the page title
    chrome: float = 0.2  # sites: share of pages opened in Chrome rather than Firefox


@dataclass(frozen=True, slots=True)
class Session:
    """One sitting: contiguous window activity from ``start`` to ``end`` (UTC seconds), AFK before and after.

    ``truth`` holds, for each activity, the category and label this generator meant it to have.
    """

    start: int
    end: int
    mode: Mode
    activities: tuple[WindowActivity, ...]
    truth: tuple[tuple[Category, str], ...]


@dataclass(frozen=True, slots=True)
class Day:
    """One local calendar day: its UTC bounds and its sittings (none on a day off)."""

    date: date
    start: int
    end: int
    sessions: tuple[Session, ...]

    @property
    def active_seconds(self) -> int:
        return sum(s.end - s.start for s in self.sessions)


# -- vocabulary -------------------------------------------------------------------------------------------------------

# Tables of words, kept one compact table per line rather than one word per line.
# fmt: off
_PROJECTS = ("middenweg", "website", "thesis", "invoicing", "home-assistant", "dotfiles", "kattenluik", "api-gateway")
_FILES = (
    "README.md", "main.py", "__init__.py", "models.py", "views.py", "store.py", "test_store.py", "settings.py",
    "pyproject.toml", "Makefile", "index.html", "style.css", "app.js", "package.json", "config.yaml", "notes.md",
    "docker-compose.yml", "schema.sql", "utils.py", "cli.py", "report.py", "chapter3.tex", "references.bib",
    "CHANGELOG.md", ".gitignore", "conftest.py", "routes.py", "Dockerfile", "invoice.py", "parser.py",
)
_WORDS = (
    "budget", "planning", "meeting", "notes", "draft", "report", "offerte", "roadmap", "retro", "onboarding",
    "quarterly", "review", "proposal", "minutes", "design", "research", "holiday", "taxes", "groceries", "recipes",
)
_QUESTIONS = (
    "How do I merge two dictionaries in a single expression", "Why is my SQLite query slow with a GROUP BY",
    "How to convert a datetime to UTC epoch seconds", "What does if __name__ == \"__main__\" do",
    "How to read a large JSON file without loading it all", "Difference between list and tuple",
    "How to mock a datetime in pytest", "git undo the last commit but keep changes", "Regex to match a date",
    "How do I format a string with f-strings and padding", "Why does asyncio.run hang on exit",
    "How to set a column default in SQLAlchemy 2", "Iterate over two lists in parallel",
    "Fastest way to count lines in a file", "How to type hint a decorator", "Sort a list of dicts by a key",
)
_LANGS = ("python", "sql", "git", "javascript", "bash", "css", "sqlite", "linux")
_DOCS = (
    "sqlite3 — DB-API 2.0 interface for SQLite databases — Python 3.11.7 documentation",
    "datetime — Basic date and time types — Python 3.11.7 documentation",
    "zoneinfo — IANA time zone support — Python 3.11.7 documentation",
    "argparse — Parser for command-line options, arguments and sub-commands — Python 3.11.7 documentation",
    "ORM Querying Guide — SQLAlchemy 2.0 Documentation", "Query Planning — SQLite", "The WITH Clause — SQLite",
    "Qt for Python — Qt for Python", "QSystemTrayIcon — Qt for Python", "pytest fixtures: explicit, modular, scalable",
    "Configuring Ruff | Ruff", "The mypy configuration file - mypy 1.9.0 documentation", "MDN Web Docs",
    "Array.prototype.map() - JavaScript | MDN", "CSS Grid Layout - CSS: Cascading Style Sheets | MDN",
)
_REPOS = ("middenweg/middenweg", "python/cpython", "sqlalchemy/sqlalchemy", "ActivityWatch/activitywatch",
          "astral-sh/ruff", "pytest-dev/pytest", "home-assistant/core", "qutebrowser/qutebrowser")
_REPO_PAGES = ("Issues", "Pull requests", "Actions", "Commits", "Releases", "Discussions")
_CHANGES = ("Fix crash when the tray is missing", "Add Dutch translation", "Speed up weekly report",
            "Handle DST in day boundaries", "Bump dependencies", "Import ActivityWatch exports",
            "Document the JSON schema", "Split events at quarter hours", "Refactor storage lookups")
_PEOPLE = ("Sanne", "Daan", "Fleur", "Bram", "Lotte", "Jeroen", "Noor", "Pieter", "Emma", "Thijs", "Anouk", "Ruben")
_SEARCHES = ("weer amsterdam", "ns storing", "python zoneinfo dst", "sqlite without rowid", "pannenkoeken recept",
             "bol.com", "ikea openingstijden", "postnl track", "belastingdienst inloggen", "wifi kaput linux",
             "euro dollar koers", "nederlands engels woordenboek", "fietsenmaker in de buurt", "huisarts")
_ARTICLES = ("SQLite", "Dutch language", "Amsterdam", "Daylight saving time", "Unix time", "ISO 8601", "Tulip mania",
             "Delta Works", "Windmill", "Social media", "Screen time", "Attention economy", "Zuiderzee Works")
_NEWS = ("NOS Nieuws • Nieuws, Sport en Evenementen", "NU - Het laatste nieuws het eerst op NU.nl",
         "Buienradar.nl - Actuele neerslag", "De Volkskrant", "The Guardian", "BBC News - Home",
         "Tweakers - Nieuws", "Hacker News")
_SHOPS = ("bol.com | de winkel van ons allemaal", "Marktplaats - De plek om nieuwe en tweedehands spullen te kopen",
          "Coolblue - alles voor een glimlach", "IKEA Nederland", "Albert Heijn", "Thuisbezorgd.nl")
_SERIES = ("Netflix", "Home - Netflix", "The Crown | Netflix", "Dark | Netflix", "NPO Start", "Videoland")
_SUBREDDITS = ("r/Netherlands", "r/Python", "r/linux", "r/programming", "r/AskReddit", "r/worldnews", "r/cycling",
               "r/aww", "r/selfhosted", "r/Amsterdam", "r/todayilearned", "r/mildlyinteresting")
_POSTS = ("What is something everyone should know how to do?", "I built a tray app to track my screen time",
          "Finally switched to Linux, AMA", "Best bike route from Utrecht to Amsterdam?", "This cat has no chill",
          "Why are houses so expensive here", "TIL the Dutch reclaimed a whole province", "Rate my homelab",
          "Python 3.13 is out, what are you most excited about?", "My grandmother's recipe for stamppot")
_HANDLES = ("nos", "elonmusk", "guido", "simonw", "thehill", "nasa", "verge", "ajaxamsterdam", "ns_online", "knmi")
_TWEETS = ("Big news today", "Thread: what we learned from a year of remote work", "This is not normal weather",
           "New release is out!", "Unpopular opinion: tabs are fine", "Photo of the day", "Live: updates")
_VIDEO_SUBJECTS = ("SQLite", "Python decorators", "the Dutch water system", "black holes", "sourdough bread",
                   "Linux desktop ricing", "bike maintenance", "the stock market", "quantum computing",
                   "medieval castles", "productivity", "minimalism", "electric cars", "chess openings")
_VIDEO_FORMS = ("{s} explained in 10 minutes", "I tried {s} for 30 days", "The truth about {s}",
                "{s} for beginners (full course)", "Why {s} is harder than you think", "{s} | Documentary",
                "Everything you need to know about {s}", "I was wrong about {s}")
_ARTISTS = ("Golden Earring", "Doe Maar", "Davina Michelle", "Snelle", "Dua Lipa", "Radiohead", "Daft Punk",
            "Within Temptation", "S10", "Kensington", "Queen", "Fleetwood Mac")
_SONGS = ("Radar Love", "Smoorverliefd", "Duurt te lang", "Reckless", "Levitating", "Karma Police", "Around the World",
          "Ice Queen", "De Diepte", "Streets", "Bohemian Rhapsody", "Dreams")
_TEAMS = ("Ajax", "PSV", "Feyenoord", "AZ", "FC Utrecht", "FC Twente")
_CHANNELS = ("general", "random", "dev", "design", "support", "releases", "standup", "announcements", "help")
_SERVERS = ("Python Discord", "Linux Gaming", "Middenweg", "Board game night", "Fietsclub")
_SUBJECTS = ("Offerte website", "Re: planning volgende week", "Factuur 2026-0143", "Your order has shipped",
             "Re: vergadering donderdag", "Welcome to the team", "Uitnodiging: retro", "Re: Re: budget",
             "Security alert", "Weekly digest", "Fwd: foto's van zaterdag", "Reminder: deadline")
_VAULT = ("Notes", "Work", "Thesis")
_MOVIES = ("Soldaat van Oranje (1977)", "Amelie (2001)", "Spirited Away (2001)", "holiday-2025.mp4", "lecture-04.mkv")
# fmt: on


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


def _fixed(*titles: str) -> TitleMaker:
    return lambda rng: _pick(rng, titles)


def _code(rng: random.Random) -> str:
    dirty = "● " if rng.random() < 0.2 else ""
    return f"{dirty}{_pick(rng, _FILES)} - {_pick(rng, _PROJECTS)} - Visual Studio Code"


def _pycharm(rng: random.Random) -> str:
    return f"{_pick(rng, _PROJECTS)} – {_pick(rng, _FILES)}"


def _terminal(rng: random.Random) -> str:
    where = rng.random()
    if where < 0.55:
        return f"anna@laptop: ~/src/{_pick(rng, _PROJECTS)}"
    if where < 0.7:
        return "anna@laptop: ~"
    if where < 0.85:
        return f"vim {_pick(rng, _FILES)}"
    return _pick(rng, ("htop", "anna@laptop: ~/Downloads", "ssh nas", "python3", "man sqlite3", "git log"))


def _mail(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return "Inbox - anna@example.nl - Mozilla Thunderbird"
    prefix = "Write: " if rng.random() < 0.2 else ""
    return f"{prefix}{_pick(rng, _SUBJECTS)} - Mozilla Thunderbird"


def _doc(extension: str, program: str) -> TitleMaker:
    def make(rng: random.Random) -> str:
        return f"{_pick(rng, _WORDS)}-{rng.randrange(1, 13):02d}.{extension} - LibreOffice {program}"

    return make


def _evince(rng: random.Random) -> str:
    return f"{_pick(rng, _WORDS)}-{rng.randrange(2019, 2027)}.pdf"


def _obsidian(rng: random.Random) -> str:
    return f"{_pick(rng, _WORDS)} {rng.randrange(1, 30)} - {_pick(rng, _VAULT)} - Obsidian v1.6.7"


def _spotify(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "Spotify Premium"
    return f"{_pick(rng, _ARTISTS)} - {_pick(rng, _SONGS)}"


def _facebook(rng: random.Random) -> str:
    return _pick(rng, ("Facebook", "Facebook", "Facebook", "Marketplace | Facebook", "Watch | Facebook",
                       f"{_pick(rng, _PEOPLE)} | Facebook", "Groups | Facebook"))  # fmt: skip


def _x(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return _pick(rng, ("Home / X", "Home / X", "Notifications / X", "Explore / X", "Messages / X"))
    handle = _pick(rng, _HANDLES)
    return f'{handle} on X: "{_pick(rng, _TWEETS)}" / X'


def _instagram(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return _pick(rng, ("Instagram", "Instagram", "Instagram • Chats", "Instagram • Reels"))
    handle = _pick(rng, _HANDLES)
    return f"{handle.title()} (@{handle}) • Instagram photos and videos"


def _reddit(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return _pick(rng, ("Reddit - Dive into anything", *_SUBREDDITS))
    return f"{_pick(rng, _POSTS)} : {_pick(rng, _SUBREDDITS)}"


def _youtube(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.12:
        return "YouTube"
    if kind < 0.35:
        return f"{_pick(rng, _ARTISTS)} - {_pick(rng, _SONGS)} (Official Video) - YouTube"
    if kind < 0.45:
        home, away = rng.sample(_TEAMS, 2)
        return f"Samenvatting {home} - {away} | Eredivisie - YouTube"
    title = _pick(rng, _VIDEO_FORMS).format(s=_pick(rng, _VIDEO_SUBJECTS))
    return f"{title[0].upper()}{title[1:]} - YouTube"


def _linkedin(rng: random.Random) -> str:
    return _pick(rng, ("Feed | LinkedIn", "Messaging | LinkedIn", "Notifications | LinkedIn", "Jobs | LinkedIn",
                       f"{_pick(rng, _PEOPLE)} de Vries | LinkedIn"))  # fmt: skip


def _telegram(rng: random.Random) -> str:
    unread = rng.random()
    return "Telegram" if unread < 0.6 else f"Telegram ({int(unread * 10) - 5})"


def _discord(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"#{_pick(rng, _CHANNELS)} | {_pick(rng, _SERVERS)} - Discord"
    return _pick(rng, ("Friends - Discord", f"@{_pick(rng, _PEOPLE).lower()} - Discord"))


def _slack(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return f"{_pick(rng, _CHANNELS)} (Channel) - Acme - Slack"
    return f"{_pick(rng, _PEOPLE)} (DM) - Acme - Slack"


def _element(rng: random.Random) -> str:
    return f"Element | {_pick(rng, ('Buurtapp', 'Familie', 'Middenweg dev', 'Fietsclub'))}"


def _search(rng: random.Random) -> str:
    query = _pick(rng, _SEARCHES)
    return f"{query} - Google Zoeken" if rng.random() < 0.7 else f"{query} at DuckDuckGo"


def _dev_docs(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"{_pick(rng, _LANGS)} - {_pick(rng, _QUESTIONS)}? - Stack Overflow"
    return _pick(rng, _DOCS)


def _github(rng: random.Random) -> str:
    repo = _pick(rng, _REPOS)
    kind = rng.random()
    if kind < 0.35:
        return f"{_pick(rng, _REPO_PAGES)} · {repo}"
    if kind < 0.75:
        author = _pick(rng, _PEOPLE).lower()
        return f"{_pick(rng, _CHANGES)} by {author} · Pull Request #{rng.randrange(1, 400)} · {repo}"
    return f"GitHub - {repo}"


def _office_web(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"{_pick(rng, _WORDS).title()} {rng.randrange(2024, 2027)} - Google Docs"
    if kind < 0.7:
        return f"[MW-{rng.randrange(1, 600)}] {_pick(rng, _CHANGES)} - Jira"
    return f"Inbox ({rng.randrange(1, 40)}) - anna.devries@gmail.com - Gmail"


def _wikipedia(rng: random.Random) -> str:
    return f"{_pick(rng, _ARTICLES)} - Wikipedia"


def _sources() -> tuple[Source, ...]:
    social, messaging, other = Category.SOCIAL, Category.MESSAGING, Category.OTHER
    chat = Dwell(22)
    # One line per source, like a table: name, app, category, label, weights (work, leisure), dwell, titles,
    # chance of a new title, and for sites the unread-counter chance and Chrome share.
    # fmt: off
    return (
        # Social sites, in a browser tab.
        Source("facebook", None, social, "Facebook", 1.2, 8, Dwell(32, 0.02, 400), _facebook, 0.03, 0.55, 0.15),
        Source("x", None, social, "X", 1.2, 6, Dwell(28, 0.02, 300), _x, 0.15, 0.35, 0.1),
        Source("instagram", None, social, "Instagram", 0.5, 5, Dwell(32, 0.02, 400), _instagram, 0.08, 0.3, 0.1),
        Source("reddit", None, social, "Reddit", 0.8, 5, Dwell(36, 0.02, 500), _reddit, 0.3, 0.0, 0.1),
        Source("youtube", None, social, "YouTube", 0.4, 5, Dwell(45, 0.2, 600, 0.9), _youtube, 0.25, 0.15, 0.5),
        Source("linkedin", None, social, "LinkedIn", 0.8, 0.4, Dwell(40), _linkedin, 0.05, 0.6, 0.1),
        Source("tiktok", None, social, "TikTok", 0.05, 1.5, Dwell(90, 0.1, 900), _fixed("TikTok - Make Your Day"),
               0.0),
        Source("whatsapp-web", None, messaging, "WhatsApp", 1.5, 2, chat, _fixed("WhatsApp"), 0.0, 0.6, 1.0),
        # Messaging apps.
        Source("whatsapp", "WhatsApp", messaging, "WhatsApp", 3, 5, chat, _fixed("WhatsApp"), 0.0),
        Source("telegram", "TelegramDesktop", messaging, "Telegram", 1.2, 3, chat, _telegram, 0.1),
        Source("signal", "Signal", messaging, "Signal", 1, 2.5, chat, _fixed("Signal"), 0.0),
        Source("discord", "discord", messaging, "Discord", 0.6, 3.5, Dwell(30, 0.03, 1200), _discord, 0.05),
        Source("slack", "Slack", messaging, "Slack", 7, 0.3, chat, _slack, 0.05),
        Source("element", "Element", messaging, "Element", 0.4, 0.7, chat, _element, 0.02),
        # Work and everything else.
        Source("code", "Code", other, None, 20, 1.5, Dwell(30, 0.02, 600), _code, 0.04),
        Source("pycharm", "jetbrains-pycharm", other, None, 5, 0, Dwell(30, 0.02, 600), _pycharm, 0.04),
        Source("terminal", "Gnome-terminal", other, None, 17, 1, Dwell(15), _terminal, 0.02),
        Source("search", None, other, None, 5, 3, Dwell(15), _search, 0.25, 0.0, 0.2),
        Source("dev-docs", None, other, None, 10, 0.5, Dwell(28), _dev_docs, 0.1, 0.0, 0.2),
        Source("github", None, other, None, 7, 0.5, Dwell(25), _github, 0.12, 0.0, 0.1),
        Source("office-web", None, other, None, 4, 0.3, Dwell(40, 0.02, 900), _office_web, 0.15, 0.0, 0.6),
        Source("wikipedia", None, other, None, 1.5, 2, Dwell(35), _wikipedia, 0.1, 0.0, 0.2),
        Source("news", None, other, None, 1.5, 4, Dwell(30), _fixed(*_NEWS), 0.0, 0.0, 0.2),
        Source("shopping", None, other, None, 0.3, 2.5, Dwell(35), _fixed(*_SHOPS), 0.0, 0.0, 0.3),
        Source("series", None, other, None, 0, 0.8, Dwell(300, 0.6, 2400, 0.5), _fixed(*_SERIES), 0.0, 0.0, 0.3),
        Source("mail", "thunderbird", other, None, 6, 1, Dwell(25), _mail, 0.15),
        Source("writer", "libreoffice-writer", other, None, 3, 0.3, Dwell(45, 0.02, 900), _doc("odt", "Writer"),
               0.05),
        Source("calc", "libreoffice-calc", other, None, 2.5, 0.3, Dwell(45), _doc("ods", "Calc"), 0.05),
        Source("impress", "libreoffice-impress", other, None, 0.8, 0, Dwell(45), _doc("odp", "Impress"), 0.05),
        Source("evince", "Evince", other, None, 2, 0.3, Dwell(40, 0.02, 900), _evince, 0.05),
        Source("files", "org.gnome.Nautilus", other, None, 3, 1, Dwell(12),
               _fixed("Downloads", "Documents", "Pictures", "src", "Home", *_PROJECTS), 0.0),
        Source("spotify", "Spotify", other, None, 1.5, 1.5, Dwell(15), _spotify, 0.1),
        Source("zoom", "zoom", other, None, 0.3, 0.05, Dwell(300, 0.5, 1800, 0.5),
               _fixed("Zoom Meeting", "Zoom Workplace"), 0.0),
        Source("obsidian", "obsidian", other, None, 2.5, 0.5, Dwell(35), _obsidian, 0.05),
        Source("keepass", "KeePassXC", other, None, 0.8, 0.2, Dwell(8), _fixed("Passwords.kdbx - KeePassXC"), 0.0),
        Source("gimp", "Gimp-2.10", other, None, 0.3, 0.6, Dwell(80),
               _fixed("[Untitled]-1.0 (RGB color 8-bit gamma integer, GIMP built-in sRGB, 1 layer) 1920x1080 – GIMP",
                      "[foto-zaterdag] (imported)-2.0 (RGB color 8-bit gamma integer, GIMP built-in sRGB, 1 layer) "
                      "4032x3024 – GIMP"), 0.0),
        Source("calculator", "Gnome-calculator", other, None, 0.4, 0.2, Dwell(10), _fixed("Calculator"), 0.0),
        Source("settings", "Gnome-control-center", other, None, 0.2, 0.2, Dwell(20),
               _fixed("Settings", "Wi-Fi", "Displays", "Sound"), 0.0),
        Source("vlc", "vlc", other, None, 0, 0.3, Dwell(600, 0.5, 2400, 0.5),
               lambda rng: f"{_pick(rng, _MOVIES)} - VLC media player", 0.0),
        Source("inkscape", "Inkscape", other, None, 0.3, 0.2, Dwell(100), _fixed("drawing.svg - Inkscape",
               "logo.svg - Inkscape", "poster.svg - Inkscape"), 0.0),
        Source("steam", "Steam", other, None, 0, 0.6, Dwell(60), _fixed("Steam", "Friends List"), 0.0),
        Source("game", "Stardew Valley", other, None, 0, 0.25, Dwell(900, 0.5, 2400, 0.6), _fixed("Stardew Valley"),
               0.0),
        Source("sysmon", "Gnome-system-monitor", other, None, 0.2, 0.1, Dwell(15), _fixed("System Monitor"), 0.0),
    )
    # fmt: on


# -- the person -------------------------------------------------------------------------------------------------------

#: Chance of a day without the computer, Monday first.
_DAY_OFF = (0.04, 0.04, 0.04, 0.05, 0.06, 0.12, 0.14)
#: Active hours on a day that is not off: mean and standard deviation, Monday first.
_HOURS = ((9.4, 1.2), (9.4, 1.2), (9.3, 1.2), (9.3, 1.3), (8.2, 1.4), (6.5, 2.0), (6.0, 2.0))
#: When the first sitting starts, in local hours: mean and standard deviation, Monday first.
_BEGIN = ((8.4, 0.4), (8.4, 0.4), (8.5, 0.4), (8.4, 0.4), (8.7, 0.5), (10.0, 1.0), (10.5, 1.0))


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _local_epoch(day: date, seconds: int, tz: ZoneInfo) -> int:
    """UTC epoch of ``seconds`` of wall-clock time after local midnight of ``day`` (daytime: never in a DST gap)."""
    wall = datetime.combine(day, time()) + timedelta(seconds=seconds)
    return int(wall.replace(tzinfo=tz).timestamp())


class _Titles:
    """An app's recently seen titles, most recent first: revisits mostly go back to the last few."""

    __slots__ = ("recent",)

    def __init__(self) -> None:
        self.recent: list[tuple[str, Browser]] = []

    def pick(self, source: Source, rng: random.Random) -> tuple[str, Browser]:
        recent = self.recent
        if not recent or rng.random() < source.new_title:
            browser = Browser.CHROME if rng.random() < source.chrome else Browser.FIREFOX
            found = (source.make_title(rng), browser)
            if found in recent:
                recent.remove(found)
        else:
            found = recent.pop(min(int(rng.expovariate(1.0 / _REVISIT_SPREAD)), len(recent) - 1))
        recent.insert(0, found)
        del recent[_RECENT:]
        return found


class _Person:
    """All the generator's state: one random stream, the app catalogue and each app's recent titles."""

    def __init__(self, seed: int, tz: ZoneInfo) -> None:
        self.rng = random.Random(seed)
        self.tz = tz
        self.sources = _sources()
        self.titles = {s.name: _Titles() for s in self.sources}
        self.cum_weights = {
            Mode.WORK: list(accumulate(s.work for s in self.sources)),
            Mode.LEISURE: list(accumulate(s.leisure for s in self.sources)),
        }

    def choose(self, mode: Mode) -> Source:
        weights = self.cum_weights[mode]
        return self.sources[bisect_right(weights, self.rng.random() * weights[-1])]

    def plan(self, day: date) -> list[tuple[int, int, Mode]]:
        """The day's sittings as (start, end, mode) in local seconds since midnight; empty on a day off."""
        rng = self.rng
        weekday = day.weekday()
        if rng.random() < _DAY_OFF[weekday]:
            return []
        target = _clamp(rng.gauss(*_HOURS[weekday]), 1.0, 12.5) * _HOUR
        cursor = int(_clamp(rng.gauss(*_BEGIN[weekday]), 6.75, 13.0) * _HOUR)
        active = 0
        lunch = dinner = False
        sittings: list[tuple[int, int, Mode]] = []
        while active < target:
            length = int(min(_clamp(rng.lognormvariate(math.log(50 * 60), 0.55), 300, 9000), target - active))
            length = min(length, LAST_END - cursor)
            if length < 120:
                break
            if weekday < 5 and cursor < 17.5 * _HOUR:
                mode = Mode.WORK if rng.random() < 0.92 else Mode.LEISURE
            else:
                mode = Mode.WORK if rng.random() < 0.08 else Mode.LEISURE
            sittings.append((cursor, cursor + length, mode))
            active += length
            cursor += length
            if weekday < 5 and not lunch and cursor >= 12 * _HOUR:
                lunch = True
                cursor += int(rng.uniform(30, 60) * 60)
            elif not dinner and cursor >= 17.75 * _HOUR:
                dinner = True
                cursor += int(rng.uniform(60, 120) * 60)
            else:
                cursor += MIN_BREAK + int(rng.expovariate(1 / 540))
        return sittings

    def fill(self, start: int, end: int, mode: Mode) -> Session:
        """Focus changes from ``start`` to ``end``; consecutive activities always differ in app or title."""
        rng = self.rng
        activities: list[WindowActivity] = []
        truth: list[tuple[Category, str]] = []
        current: Source | None = None
        previous: Source | None = None
        cursor = start
        while cursor < end:
            for _attempt in range(4):
                alt_tab = previous is not None and rng.random() < _ALT_TAB
                source = previous if alt_tab and previous is not None else self.choose(mode)
                page, browser = self.titles[source.name].pick(source, rng)
                if source.app is None:
                    app = browser.app
                    counter = f"({1 + int(rng.expovariate(0.6))}) " if rng.random() < source.counter else ""
                    title = f"{counter}{page}{browser.suffix}"
                else:
                    app, title = source.app, page
                if not activities or (activities[-1].app, activities[-1].title) != (app, title):
                    break
            duration = min(source.dwell.draw(rng), end - cursor)
            if activities and (activities[-1].app, activities[-1].title) == (app, title):
                last = activities[-1]
                activities[-1] = WindowActivity(last.start, last.duration + duration, app, title)
            else:
                activities.append(WindowActivity(cursor, duration, app, title))
                truth.append((source.category, source.label or app))
                if source is not current:
                    previous, current = current, source
            cursor += duration
        return Session(start, end, mode, tuple(activities), tuple(truth))

    def day(self, day: date) -> Day:
        tz = self.tz
        sessions = tuple(
            self.fill(_local_epoch(day, start, tz), _local_epoch(day, end, tz), mode)
            for start, end, mode in self.plan(day)
        )
        return Day(day, _local_epoch(day, 0, tz), _local_epoch(day + timedelta(days=1), 0, tz), sessions)


# -- public API -------------------------------------------------------------------------------------------------------


def generate_days(first: date, last: date, *, seed: int, tz: ZoneInfo) -> Iterator[Day]:
    """Local days ``first`` to ``last`` inclusive, with their sittings and window activity."""
    person = _Person(seed, tz)
    day = first
    while day <= last:
        yield person.day(day)
        day += timedelta(days=1)


def generate_activities(first: date, last: date, *, seed: int, tz: ZoneInfo) -> Iterator[WindowActivity]:
    """Window activity of local days ``first`` to ``last`` inclusive, by start time, never overlapping."""
    for day in generate_days(first, last, seed=seed, tz=tz):
        for session in day.sessions:
            yield from session.activities


def generate_usage(first: date, last: date, *, seed: int, tz: ZoneInfo) -> Iterator[UsageEvent]:
    """The same activity as ``generate_activities``, categorised the way this generator meant it."""
    for day in generate_days(first, last, seed=seed, tz=tz):
        for session in day.sessions:
            for activity, (category, label) in zip(session.activities, session.truth, strict=True):
                yield UsageEvent(activity.start, activity.duration, activity.app, activity.title, category, label)
