"""Reading rules files: the built-in rules (package data) and the user's ``rules.toml``.

The format is documented at the top of ``builtin.toml`` (the README has a copy): ``schema_version = 1`` and any
number of ``[[rule]]`` tables with ``app`` / ``title`` globs, ``app_regex`` / ``title_regex`` regular expressions,
an optional ``in_browser``, a ``category`` (social, messaging or other) and an optional ``label``. User rules are
tried before the built-ins, first match wins.

Bad content never raises: each bad rule becomes a `RuleProblem` naming its line and is left out, and the rest
keep working; a file that is not TOML at all, or is from a newer Middenweg, contributes no rules. This module
reads the one file it is given and nothing else; it never writes.
"""

from __future__ import annotations

import datetime
import functools
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from middenweg.domain import lengths
from middenweg.domain.categories import Category
from middenweg.i18n import _
from middenweg.rules.engine import Rule, RuleOrigin, RuleProblem, RuleSet, compile_pattern
from middenweg.rules.errors import Error

#: The rules file format this version reads and writes.
SCHEMA_VERSION = 1
RULE_KEYS: tuple[str, ...] = ("app", "title", "app_regex", "title_regex", "in_browser", "category", "label")
PATTERN_KEYS: tuple[str, ...] = ("app", "title", "app_regex", "title_regex")
TOP_LEVEL_KEYS: tuple[str, ...] = ("schema_version", "rule")

_HEADER = re.compile(r"""\s*\[\[\s*(?:rule|"rule"|'rule')\s*\]\]\s*(?:#.*)?""")
_TABLE = re.compile(r"\s*\[")
_ERROR_LINE = re.compile(r"\bline (\d+)")


@dataclass(frozen=True, slots=True)
class ParsedRules:
    """What one rules file yields: the rules that are usable, and what was wrong with the others."""

    rules: tuple[Rule, ...]
    problems: tuple[RuleProblem, ...]


@functools.cache
def builtin_rules() -> RuleSet:
    """The rules Middenweg ships with (social and messaging apps and sites). Raises `Error` if they are damaged."""
    import importlib.resources  # imported here: it pulls in much, and only this needs it

    name = "builtin.toml"
    try:
        text = importlib.resources.files("middenweg.rules").joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Error(
            _("The built-in rules could not be read ({error}). Reinstall Middenweg.").format(error=error)
        ) from error
    parsed = parse_rules(text, Path(name), RuleOrigin.BUILTIN)
    if parsed.problems:
        raise Error(
            _("The built-in rules are damaged ({problem}). Reinstall Middenweg.").format(problem=parsed.problems[0])
        )
    return RuleSet(parsed.rules)


def load_rules(user_file: Path | None) -> tuple[RuleSet, list[RuleProblem]]:
    """The user's rules from ``user_file`` (if it exists) followed by the built-ins, and the problems found.

    Never raises for anything in or about the file: a missing file means no user rules; an unreadable or broken
    one is reported and the built-ins still work.
    """
    builtin = builtin_rules()
    if user_file is None:
        return builtin, []
    try:
        raw = user_file.read_bytes()
    except FileNotFoundError:
        return builtin, []
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("The rules file could not be read ({reason}), so its rules are not used.").format(reason=reason)
        return builtin, [RuleProblem(user_file, None, message)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = _("This file is not UTF-8 text, so its rules are not used. Save it as UTF-8 in a text editor.")
        return builtin, [RuleProblem(user_file, line, message)]
    parsed = parse_rules(text, user_file, RuleOrigin.USER)
    if not parsed.rules:
        return builtin, list(parsed.problems)
    return RuleSet(parsed.rules + builtin.rules), list(parsed.problems)


def parse_rules(text: str, file: Path, origin: RuleOrigin) -> ParsedRules:
    """The rules in TOML ``text`` (the contents of ``file``, which is named in problems)."""
    text = text.removeprefix("\ufeff")  # editors on Windows like to start a UTF-8 file with a byte order mark
    line: int | None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        detail = str(error)
        found = _ERROR_LINE.search(detail)
        line = int(found.group(1)) if found else None
    except ValueError:
        # Python converts integers of at most sys.get_int_max_str_digits() digits; TOML itself sets no limit.
        digits = sys.get_int_max_str_digits()
        detail = _("a number with more than {digits} digits").format(digits=digits)
        line = _line_of_long_number(text, digits)
    except RecursionError:
        detail, line = _("lists or tables are nested far too deeply"), None
    else:
        return _Reader(text, file, origin).read(document)
    message = _("This is not a valid TOML file ({detail}), so none of its rules are used until it is fixed.").format(
        detail=detail
    )
    return ParsedRules((), (RuleProblem(file, line, message),))


def _line_of_long_number(text: str, digits: int) -> int | None:
    """The line of the first number (decimal, hexadecimal, with or without underscores) of more than ``digits``
    digits in ``text``."""
    found = re.search(rf"(?:[0-9A-Fa-f]_?){{{digits + 1},}}", text) if digits else None
    return text.count("\n", 0, found.start()) + 1 if found is not None else None


class _Reader:
    """Turns a parsed document into rules, finding the line of each problem in the text."""

    def __init__(self, text: str, file: Path, origin: RuleOrigin) -> None:
        self.file = file
        self.origin = origin
        self.lines = text.split("\n")
        self.headers: list[int] = []  # 0-based line of each [[rule]] header, in order
        self.tables: list[int] = []  # 0-based line of every table header
        in_string: str | None = None
        for number, line in enumerate(self.lines):
            # Skip the inside of multi-line strings, where "[[rule]]" is only text.
            if in_string is None:
                if _HEADER.fullmatch(line):
                    self.headers.append(number)
                if _TABLE.match(line):
                    self.tables.append(number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1 and in_string in (None, quote):
                    in_string = quote if in_string is None else None
        self.problems: list[RuleProblem] = []

    def read(self, document: dict[str, object]) -> ParsedRules:
        rules: list[Rule] = []
        for key in document:
            if key not in TOP_LEVEL_KEYS:
                self._problem(
                    self._key_line(key, 0, self._end_of_top()),
                    _(
                        "Unknown setting “{key}”; it is ignored. A rules file holds schema_version and "
                        "[[rule]] tables only."
                    ).format(key=key),
                )
        if not self._schema_ok(document.get("schema_version")):
            return ParsedRules((), tuple(self.problems))
        raw_rules = document.get("rule", [])
        if not isinstance(raw_rules, list):
            self._problem(
                self._key_line("rule", 0, len(self.lines)) or self._table_line("rule"),
                _("Write each rule under its own [[rule]] header (with double brackets); these rules are not used."),
            )
            return ParsedRules((), tuple(self.problems))
        for index, raw in enumerate(raw_rules):
            rule = self._rule(index, raw)
            if rule is not None:
                rules.append(rule)
        return ParsedRules(tuple(rules), tuple(self.problems))

    def _schema_ok(self, version: object) -> bool:
        line = self._key_line("schema_version", 0, self._end_of_top())
        if version is None:
            return True  # an older hand-written file without a version is read as version 1
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self._problem(
                line,
                _(
                    "schema_version must be a whole number such as {version}; the rules are read as version {version}."
                ).format(version=SCHEMA_VERSION),
            )
            return True
        if version > SCHEMA_VERSION:
            self._problem(
                line,
                _(
                    "This rules file is from a newer Middenweg (schema_version {found}; this version reads "
                    "{known}), so its rules are not used. Update Middenweg to use them."
                ).format(found=_number_text(version), known=SCHEMA_VERSION),
            )
            return False
        return True

    def _rule(self, index: int, raw: object) -> Rule | None:
        start = self.headers[index] if index < len(self.headers) else None
        end = self._end_of_table(start)
        # Rules written as an inline array (rule = [{...}]) have no header: name the line of "rule =".
        header = self._key_line("rule", 0, len(self.lines)) if start is None else start + 1

        def line_of(key: str) -> int | None:
            if start is None:
                return header
            return self._key_line(key, start + 1, end) or self._subtable_line(key, start) or header

        if not isinstance(raw, dict):
            self._problem(header, _("A rule must be a table of keys under a [[rule]] header; it is not used."))
            return None
        ok = True
        for key in raw:
            if key not in RULE_KEYS:
                self._problem(
                    line_of(key),
                    _("Unknown key “{key}” in this rule; a rule may have {keys}. The rule is not used.").format(
                        key=key, keys=", ".join(RULE_KEYS)
                    ),
                )
                ok = False
        patterns: dict[str, tuple[str, ...]] = {}
        for key in PATTERN_KEYS:
            if key not in raw:
                continue
            values = _strings(raw[key])
            if values is None:
                self._problem(
                    line_of(key),
                    _(
                        '“{key}” must be a text in quotes or a list of them, such as {key} = "example", not '
                        "{value}. The rule is not used."
                    ).format(key=key, value=_describe(raw[key])),
                )
                ok = False
                continue
            if not values or any(not value for value in values):
                self._problem(
                    line_of(key),
                    _("“{key}” has an empty pattern, which would match nothing useful. The rule is not used.").format(
                        key=key
                    ),
                )
                ok = False
                continue
            if key.endswith("_regex"):
                for value in values:
                    try:
                        compile_pattern(value)
                    except re.error as error:
                        self._problem(
                            line_of(key),
                            _(
                                "“{pattern}” in {key} is not a valid regular expression ({error}). The rule is "
                                "not used."
                            ).format(pattern=value, key=key, error=error.msg),
                        )
                        ok = False
            patterns[key] = values
        if not any(key in raw for key in PATTERN_KEYS):
            self._problem(
                header,
                _(
                    "This rule has no app, title, app_regex or title_regex, so it cannot tell windows apart; add "
                    "one. The rule is not used."
                ),
            )
            ok = False
        category = self._category(raw, line_of, header)
        if category is None:
            ok = False
        in_browser = raw.get("in_browser", False)
        if not isinstance(in_browser, bool):
            self._problem(
                line_of("in_browser"),
                _("in_browser must be true or false (without quotes), not {value}. The rule is not used.").format(
                    value=_describe(in_browser)
                ),
            )
            ok = False
        label = raw.get("label")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            self._problem(
                line_of("label"),
                _(
                    'label must be a name in quotes, such as label = "Mastodon", not {value}. The rule is not used.'
                ).format(value=_describe(label)),
            )
            ok = False
        elif isinstance(label, str) and len(label.strip()) > lengths.LABEL:
            self._problem(
                line_of("label"),
                _("The label has {count} characters; a label may have at most {limit}. The rule is not used.").format(
                    count=len(label.strip()), limit=lengths.LABEL
                ),
            )
            ok = False
        elif isinstance(label, str) and "\x00" in label:
            # PostgreSQL cannot store a NUL character in any text (SQLite can), so no engine gets one.
            self._problem(
                line_of("label"),
                _("The label holds a NUL character (\\u0000); write it without one. The rule is not used."),
            )
            ok = False
        if not ok or category is None or not isinstance(in_browser, bool):
            return None
        titles = patterns.get("title", ())
        return Rule(
            category=category,
            label=label.strip() if isinstance(label, str) else _label_from_titles(category, titles),
            apps=patterns.get("app", ()),
            app_regexes=patterns.get("app_regex", ()),
            titles=titles,
            title_regexes=patterns.get("title_regex", ()),
            in_browser=in_browser,
            origin=self.origin,
            line=header,
        )

    def _category(
        self, raw: dict[str, object], line_of: Callable[[str], int | None], header: int | None
    ) -> Category | None:
        if "category" not in raw:
            self._problem(
                header,
                _('This rule has no category; add category = "social", "messaging" or "other". The rule is not used.'),
            )
            return None
        value = raw["category"]
        if isinstance(value, str):
            try:
                return Category(value.strip().casefold())
            except ValueError:
                pass
        self._problem(
            line_of("category"),
            _('The category must be "social", "messaging" or "other", not {value}. The rule is not used.').format(
                value=_describe(value)
            ),
        )
        return None

    def _problem(self, line: int | None, message: str) -> None:
        self.problems.append(RuleProblem(self.file, line, message))

    def _end_of_top(self) -> int:
        return self.tables[0] if self.tables else len(self.lines)

    def _end_of_table(self, start: int | None) -> int:
        if start is None:
            return len(self.lines)
        later = [number for number in self.tables if number > start]
        return later[0] if later else len(self.lines)

    def _key_line(self, key: str, start: int, end: int) -> int | None:
        """The 1-based line in [start, end) that assigns ``key`` (bare or quoted), if any."""
        name = re.escape(key)
        pattern = re.compile(rf"""\s*(?:{name}|"{name}"|'{name}')\s*[=.]""")
        for number in range(start, min(end, len(self.lines))):
            if pattern.match(self.lines[number]):
                return number + 1
        return None

    def _subtable_line(self, key: str, start: int) -> int | None:
        """The 1-based line of a ``[rule.key]`` header belonging to the rule whose header is at ``start``."""
        later = [number for number in self.headers if number > start]
        end = later[0] if later else len(self.lines)
        name = re.escape(key)
        pattern = re.compile(rf"""\s*\[\[?\s*(?:rule|"rule"|'rule')\s*\.\s*(?:{name}|"{name}"|'{name}')\s*[].]""")
        for number in self.tables:
            if start < number < end and pattern.match(self.lines[number]):
                return number + 1
        return None

    def _table_line(self, name: str) -> int | None:
        pattern = re.compile(r"\s*\[\s*" + re.escape(name) + r"\s*\]")
        for number in self.tables:
            if pattern.match(self.lines[number]):
                return number + 1
        return None


def _strings(value: object) -> tuple[str, ...] | None:
    """``value`` as a tuple of strings if it is a string or a list of strings, else None."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _number_text(value: float) -> str:
    """``value`` in decimal, or a description when it has more digits than Python writes (int_max_str_digits):
    TOML's hexadecimal numbers may be that long."""
    try:
        return str(value)
    except ValueError:
        return _("a number with more than {digits} digits").format(digits=sys.get_int_max_str_digits())


def _describe(value: object) -> str:
    """A short, translated description of a TOML value for a problem message."""
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number ({value})").format(value=_number_text(value))
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, datetime.date | datetime.time):
        return _("a date or time")
    return _("a value of another kind")


_LABEL_TRIM = " \t*?-–—|/:·•"


def _label_from_titles(category: Category, titles: tuple[str, ...]) -> str | None:
    """A label for a social or messaging title rule without one: its first title glob without the wildcards."""
    if category is Category.OTHER or not titles:
        return None
    words = titles[0].replace("\x00", " ").replace("*", " ").replace("?", " ").strip(_LABEL_TRIM)
    words = " ".join(words.split())
    # A long title pattern makes a long label; it is shortened, as a label written out is not (that is refused).
    return lengths.shorten(words, lengths.LABEL) if any(char.isalpha() for char in words) else None
