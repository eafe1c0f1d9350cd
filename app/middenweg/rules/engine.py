"""Rules that say which category a window belongs to, and the fast matcher that applies them.

A `RuleSet` is an ordered list of `Rule` values (the user's first, then the built-ins); the first rule that
matches a window's app and title decides its category and label, and a window no rule matches is "other" under
its own app name. `classify` runs for every distinct (app, title) pair an import sees, so it is built for speed:
patterns are compiled once, what the rules say about an app is settled once per app (few apps, many titles), and
a title pattern is only run when the title holds a piece of text every match of it must contain. This module must
never read files (the loader does) or hold state beyond its caches.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from middenweg.domain import lengths
from middenweg.domain.categories import Category
from middenweg.i18n import _
from middenweg.rules import browsers
from middenweg.rules.errors import Error

#: Bump when the meaning of a rule changes without the rules changing (how patterns are matched), so that
#: stored history can tell it was categorised differently.
MATCHING_VERSION = 1
_CACHE_LIMIT = 16384


class RuleOrigin(enum.StrEnum):
    """Where a rule comes from."""

    BUILTIN = "builtin"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Classification:
    """What a window counts as, and the name it is listed under in "top apps and sites"."""

    category: Category
    label: str


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """Something wrong in a rules file, for a person to fix. ``line`` is None when no line can be named."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return _("{file}: {message}").format(file=self.file.name, message=self.message)
        return _("{file}, line {line}: {message}").format(file=self.file.name, line=self.line, message=self.message)


@dataclass(frozen=True, slots=True)
class Rule:
    """One categorisation rule, as written in a rules file (see builtin.toml for the format).

    Patterns are kept as written; `RuleSet` compiles them. ``label`` None means "the app name as given".
    """

    category: Category
    label: str | None = None
    apps: tuple[str, ...] = ()
    app_regexes: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    title_regexes: tuple[str, ...] = ()
    in_browser: bool = False
    origin: RuleOrigin = RuleOrigin.USER
    line: int | None = field(default=None, compare=False)

    @property
    def has_app_pattern(self) -> bool:
        return bool(self.apps or self.app_regexes)

    @property
    def has_title_pattern(self) -> bool:
        return bool(self.titles or self.title_regexes)


def glob_to_regex(pattern: str) -> str:
    """A regular expression source that matches what glob ``pattern`` matches (with `re.fullmatch`).

    Only ``*`` and ``?`` are wildcards: window titles are full of brackets that people mean literally.
    """
    parts: list[str] = []
    for char in pattern:
        if char == "*":
            if not parts or parts[-1] != ".*":  # "**" is "*", and cheaper
                parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "(?s:" + "".join(parts) + ")"


def compile_pattern(source: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    """Compile a rule's regular expression. Raises `re.error` for an invalid one."""
    # Python warns about some odd but valid patterns (nested sets); a user's regex is not our code to warn about,
    # and under warnings-as-errors the warning would escape as an exception.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return re.compile(source, re.IGNORECASE if ignore_case else 0)


def glob_literal(pattern: str) -> str | None:
    """The longest piece of glob ``pattern`` (lower case) that every match must contain, if it is ASCII."""
    pieces = re.split(r"[*?]+", pattern.lower())
    return _longest_ascii(pieces)


def regex_literal(source: str) -> str | None:
    """A piece of text (lower case) that every match of regex ``source`` must contain, or None if unsure.

    Conservative by design: only literal characters outside groups and classes count, a quantifier that may
    repeat zero times drops the character before it, and a top-level "|", a verbose flag or an escape it does not
    understand gives up. Used only to skip patterns that cannot match, so "unsure" merely costs time.
    """
    if re.search(r"\(\?[a-zA-Z]*x", source):
        return None
    runs: list[str] = []
    current: list[str] = []
    depth = 0
    index = 0
    length = len(source)

    def close() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    while index < length:
        char = source[index]
        if char == "\\":
            following = source[index + 1] if index + 1 < length else ""
            if not following or following.isdigit() or following in "xuUNgpP":
                return None
            if following.isalnum() or depth:
                close()  # \s, \b, \w ...: not literal text
            else:
                current.append(following)
            index += 2
            continue
        if char == "[":
            close()
            index += 1
            if index < length and source[index] == "^":
                index += 1
            if index < length and source[index] == "]":
                index += 1
            while index < length and source[index] != "]":
                index += 2 if source[index] == "\\" else 1
            index += 1
            continue
        if char == "(":
            close()
            depth += 1
        elif char == ")":
            close()
            depth -= 1
        elif char == "|":
            if depth == 0:
                return None
        elif char in "*?{":
            if depth == 0 and current:
                current.pop()  # the character before may be absent
            close()
            if char == "{":
                closing = source.find("}", index)
                if closing < 0:
                    return None
                index = closing
        elif char in "+.^$":
            close()
        elif depth == 0:
            current.append(char)
        index += 1
    close()
    return _longest_ascii(runs)


def _longest_ascii(pieces: Iterable[str]) -> str | None:
    candidates = [piece.lower() for piece in pieces if piece and piece.isascii()]
    return max(candidates, key=len) if candidates else None


def _has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@dataclass(frozen=True, slots=True)
class _TitlePattern:
    """One title pattern, compiled. ``lowered``: it has no capitals, so it runs case-sensitively on the
    lower-cased title (much faster in Python's re than ignoring case). ``literal``: text every match contains."""

    pattern: re.Pattern[str]
    whole: bool
    lowered: bool
    literal: str | None

    def matches(self, text: str, lowered: str) -> bool:
        subject = lowered if self.lowered else text
        if self.whole:
            return self.pattern.fullmatch(subject) is not None
        return self.pattern.search(subject) is not None


def _title_pattern(source: str, *, whole: bool, literal: str | None) -> _TitlePattern:
    lowered = source == source.lower()
    # The literal shortcut is exact only where the pattern itself runs on the lower-cased title; a pattern with
    # capitals ignores case the way re does, which lower() does not always mirror (the long s, the Kelvin sign).
    return _TitlePattern(compile_pattern(source, ignore_case=not lowered), whole, lowered, literal if lowered else None)


class _CompiledRule:
    """A rule ready to match: its app part settled by set lookups and patterns, its title part compiled."""

    __slots__ = ("app_exact", "app_fullmatch", "app_search", "fixed", "gate", "has_app", "index", "rule", "titles")

    def __init__(self, index: int, rule: Rule) -> None:
        self.index = index
        self.rule = rule
        self.has_app = rule.has_app_pattern
        self.fixed = None if rule.label is None else Classification(rule.category, rule.label)
        exact: set[str] = set()
        fullmatch: list[re.Pattern[str]] = []
        for pattern in rule.apps:
            key = browsers.app_key(pattern)
            if _has_wildcard(key):
                fullmatch.append(compile_pattern(glob_to_regex(key)))
            else:
                exact.add(browsers.without_exe(key))
        self.app_exact = frozenset(exact)
        self.app_fullmatch = tuple(fullmatch)
        self.app_search = tuple(compile_pattern(source) for source in rule.app_regexes)
        self.titles = tuple(
            _title_pattern(glob_to_regex(glob.lower()), whole=True, literal=glob_literal(glob)) for glob in rule.titles
        ) + tuple(_title_pattern(source, whole=False, literal=regex_literal(source)) for source in rule.title_regexes)
        # If every title pattern needs some text, a title with none of those texts skips the rule at once.
        literals = [title.literal for title in self.titles]
        self.gate: tuple[str, ...] | None = (
            tuple(dict.fromkeys(literal for literal in literals if literal is not None))
            if all(literal is not None for literal in literals)
            else None
        )

    @property
    def has_title(self) -> bool:
        return bool(self.titles)

    def matches_app(self, key: str, base: str) -> bool:
        if key in self.app_exact or base in self.app_exact:
            return True
        for pattern in self.app_fullmatch:
            if pattern.fullmatch(key) or pattern.fullmatch(base):
                return True
        return any(pattern.search(key) or pattern.search(base) for pattern in self.app_search)

    def matches_title(self, lowered_title: str, texts: Sequence[tuple[str, str]]) -> bool:
        """Whether a title pattern matches one of ``texts`` (pairs of text and lower-cased text)."""
        if self.gate is not None and not any(literal in lowered_title for literal in self.gate):
            return False
        for title in self.titles:
            if title.literal is not None and title.literal not in lowered_title:
                continue
            for text, lowered in texts:
                if title.matches(text, lowered):
                    return True
        return False

    def result(self, app: str) -> Classification:
        return self.fixed if self.fixed is not None else Classification(self.rule.category, _app_label(app))


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the rules say for one app: title rules to try in order, then the app rule that decides otherwise."""

    browser: bool
    titled: tuple[_CompiledRule, ...]
    fallback: _CompiledRule | None


class RuleSet:
    """An ordered set of rules; `classify` says what a window counts as. Safe to share between threads."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        try:
            self._compiled = tuple(_CompiledRule(index, rule) for index, rule in enumerate(rules))
        except re.error as error:
            raise Error(
                _("A categorisation rule has an invalid pattern ({error}). Check your rules.toml.").format(error=error)
            ) from error
        self._rules = tuple(rules)
        self._plans: dict[str, _Plan] = {}
        self._results: dict[tuple[str, str | None], Classification] = {}
        self._fingerprint = _fingerprint(self._rules)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The active rules in the order they are tried."""
        return self._rules

    @property
    def fingerprint(self) -> str:
        """A stable hash of the active rules and of how they are matched: equal fingerprints, equal results."""
        return self._fingerprint

    def classify(self, app: str, title: str | None) -> Classification:
        """The category and label of a window of ``app`` titled ``title`` (None: the title was kept out)."""
        key = (app, title)
        cached = self._results.get(key)
        if cached is not None:
            return cached
        result = self._classify(app, title)
        if len(self._results) >= _CACHE_LIMIT:
            self._results.clear()
        self._results[key] = result
        return result

    def _classify(self, app: str, title: str | None) -> Classification:
        plan = self._plan(app)
        if title is not None and plan.titled:
            text = browsers.clean_title(title)
            lowered = text.lower()
            texts = [(text, lowered)]
            if plan.browser:
                texts.extend((page, page.lower()) for page in browsers.page_titles(text, lowered) if page != text)
            for rule in plan.titled:
                gate = rule.gate
                if gate is not None:
                    # Inlined from matches_title: most rules are ruled out here, and calls cost.
                    for literal in gate:
                        if literal in lowered:
                            break
                    else:
                        continue
                if rule.matches_title(lowered, texts):
                    return rule.result(app)
        if plan.fallback is not None:
            return plan.fallback.result(app)
        return Classification(Category.OTHER, _app_label(app))

    def _plan(self, app: str) -> _Plan:
        plan = self._plans.get(app)
        if plan is not None:
            return plan
        key = browsers.app_key(app)
        base = browsers.without_exe(key)
        browser = browsers.is_browser(app)
        titled: list[_CompiledRule] = []
        fallback: _CompiledRule | None = None
        for rule in self._compiled:
            if rule.rule.in_browser and not browser:
                continue
            if rule.has_app and not rule.matches_app(key, base):
                continue
            if not rule.has_title:
                fallback = rule  # it matches every title, so no later rule can ever be reached
                break
            titled.append(rule)
        plan = _Plan(browser, tuple(titled), fallback)
        if len(self._plans) >= _CACHE_LIMIT:
            self._plans.clear()
        self._plans[app] = plan
        return plan


def _app_label(app: str) -> str:
    """A window listed under its app's name: an app name from elsewhere than the tracker or an import (which cut it
    already) may be longer than a label may be."""
    return lengths.shorten(app, lengths.LABEL)


def _fingerprint(rules: Sequence[Rule]) -> str:
    payload = {
        "matching": MATCHING_VERSION,
        "browsers": sorted(browsers.BROWSER_APPS),
        "page_titles": browsers.suffix_patterns(),
        "rules": [
            [
                rule.category.value,
                rule.label,
                rule.apps,
                rule.app_regexes,
                rule.titles,
                rule.title_regexes,
                rule.in_browser,
            ]
            for rule in rules
        ],
    }
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]
