"""Odd input never breaks classification, the fast paths agree with the slow ones, and it stays fast."""

from __future__ import annotations

import functools
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from middenweg.domain.categories import Category
from middenweg.rules import RuleOrigin, RuleSet, builtin_rules, load_rules
from middenweg.rules.browsers import page_titles
from middenweg.rules.engine import glob_literal, regex_literal

USER_RULES = """
schema_version = 1

[[rule]]
title = "*Mastodon*"
in_browser = true
category = "social"

[[rule]]
title_regex = ['^Jira .*', '(?x) ^ grafana $']
app = ["*.exe", "kate"]
category = "other"

[[rule]]
app_regex = "^st[eé]am"
category = "social"
"""


@pytest.mark.parametrize(
    ("app", "title"),
    [
        ("firefox", None),
        ("", ""),
        ("", None),
        ("firefox", ""),
        ("firefox", " — Mozilla Firefox"),
        ("firefox", "\x00\x01\x07\x1b[31m\n\r\t — Mozilla Firefox"),
        ("\x00", "\x00"),
        ("msedge.exe", "\u200b\u200b - \u200b - Microsoft\u200b Edge"),
        ("google-chrome", "\u202bפייסבוק - דף הבית\u202c - Google Chrome"),
        ("firefox", "واتساب — Mozilla Firefox"),
        ("google-chrome", "👨‍👩‍👧‍👦🔥💬 - Google Chrome"),
        ("firefox", "e\u0301\u0301\u0301 (combining) — Mozilla Firefox"),
        ("Safari", "\ud800 lone surrogate"),
        ("google-chrome", " - " * 5000 + "Google Chrome"),
        ("google-chrome", "(" * 3000 + " - High memory usage" * 500 + " - Google Chrome"),
        ("msedge.exe", "a and 99999999999999999999 more pages" * 200 + " - x - Microsoft Edge"),
    ],
)
def test_odd_titles_are_other_and_do_not_crash(app: str, title: str | None) -> None:
    for rules in (builtin_rules(), load_rules(None)[0]):
        result = rules.classify(app, title)
        assert result.category is Category.OTHER
        assert result.label == app


def test_right_to_left_and_invisible_marks_do_not_hide_a_site() -> None:
    rules = builtin_rules()
    assert rules.classify("firefox", "\u200f\u202bWhatsApp\u202c — Mozilla Firefox").label == "WhatsApp"
    assert rules.classify("chrome.exe", "\ufeff(3) Facebook\u200e - Google Chrome").label == "Facebook"


def test_very_long_titles_are_fast_and_keep_their_ends() -> None:
    rules = builtin_rules()
    middle = "very long video title " * 50_000  # about a megabyte
    start = time.perf_counter()
    assert rules.classify("firefox", "(3) " + middle + " - YouTube — Mozilla Firefox").label == "YouTube"
    assert rules.classify("google-chrome", middle + "\x00" * 1000 + " - Google Chrome").category is Category.OTHER
    assert time.perf_counter() - start < 0.5


def test_backtracking_traps_stay_fast() -> None:
    rules = builtin_rules()
    nasty = [
        "Feed | " + "a - " * 120 + " - High memory usage" * 120 + " - Google Chrome",
        " - " * 700 + "Microsoft Edge",
        "(@" * 1000 + "@" * 1000 + ")",
        " : r/" * 400,
        "[•" * 1000 + " instagram",
    ]
    start = time.perf_counter()
    for index in range(40):
        for title in nasty:
            rules.classify(f"google-chrome-{index}" if index % 2 else "google-chrome", title + str(index))
    assert time.perf_counter() - start < 2.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    app=st.one_of(st.sampled_from(["firefox", "msedge.exe", "Safari", "WhatsApp", "code", ""]), st.text()),
    title=st.one_of(st.none(), st.text(), st.text(alphabet=" -–—|/•·()[]@:3xXFacebookYouTubeWhatsApp\u200b")),
)
def test_classify_never_raises(app: str, title: str | None) -> None:
    for rules in (builtin_rules(), _user_rules()):
        result = rules.classify(app, title)
        assert result.category in Category
        assert isinstance(result.label, str)
        if result.category is Category.OTHER:
            assert result.label == app


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_loading_any_text_never_raises(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("rules") / "rules.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    rules, problems = load_rules(path)
    assert rules.classify("WhatsApp", None).category in Category
    assert all(str(problem).startswith("rules.toml") for problem in problems)


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.text(alphabet="ab*?[]().|^$\\+{}x ", max_size=12),
    key=st.sampled_from(["app", "title", "app_regex", "title_regex"]),
)
def test_any_pattern_is_either_used_or_reported(
    tmp_path_factory: pytest.TempPathFactory, pattern: str, key: str
) -> None:
    path = tmp_path_factory.mktemp("rules") / "rules.toml"
    quoted = pattern.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'[[rule]]\n{key} = "{quoted}"\ncategory = "social"\n', encoding="utf-8")
    rules, problems = load_rules(path)
    user_rules = [rule for rule in rules.rules if rule.origin is RuleOrigin.USER]
    assert len(user_rules) + len(problems) == 1
    rules.classify("ab", "ab ab")


# --- the literal shortcut never skips a pattern that would match --------------------------------------------------


def _builtin_title_regexes() -> list[str]:
    return [source for rule in builtin_rules().rules for source in rule.title_regexes]


@pytest.mark.parametrize("source", _builtin_title_regexes())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_builtin_literals_are_in_every_match(source: str, data: st.DataObject) -> None:
    literal = regex_literal(source)
    text = data.draw(st.from_regex(re.compile(source)))
    assert re.search(source, text)
    if literal is not None:
        assert literal in text


@pytest.mark.parametrize(
    "source",
    [
        r"abc?d",
        r"ab{0,2}cd",
        r"x(?:yz)?w",
        r"\.com+",
        r"foo|bar",
        r"[abc]def\s+gh",
        r"(?P<n>ab)(?P=n)cd",
        r"\x41bc",
        r"café",
        r"a\-b",
        r"^\(\d+\) messages$",
    ],
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_user_style_literals_are_in_every_match(source: str, data: st.DataObject) -> None:
    literal = regex_literal(source)
    text = data.draw(st.from_regex(re.compile(source)))
    if literal is not None:
        assert literal in text.lower()


def test_literals_are_found_where_they_help() -> None:
    assert regex_literal(r"\s[-–—]\syoutube$") == "youtube"
    assert regex_literal(r"^whatsapp(?:\s(?:web|business))?$") == "whatsapp"
    assert regex_literal(r"foo|bar") is None
    assert regex_literal(r"(?x) ^ grafana $") is None
    assert glob_literal("*Mastodon*") == "mastodon"
    assert glob_literal("*") is None


# --- page titles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "pages"),
    [
        ("Home / X — Mozilla Firefox", ("Home / X",)),
        ("Mozilla Firefox", ("Mozilla Firefox",)),
        ("(3) Inbox - Google Chrome", ("Inbox",)),
        ("Video - YouTube - Audio playing - Google Chrome - Jason", ("Video - YouTube",)),
        ("Page - Personal - Microsoft Edge", ("Page - Personal", "Page")),
        ("Page and 3 more pages - Profile 1 - Microsoft Edge", ("Page and 3 more pages - Profile 1", "Page")),
        ("Google Chrome - Download - Google Chrome", ("Google Chrome - Download",)),
        ("Review - Brave New World", ("Review - Brave New World",)),
        ("Safari page", ("Safari page",)),
        ("(2) ", ()),
        ("Audio playing - Google Chrome", ("Audio playing",)),
    ],
)
def test_page_titles(title: str, pages: tuple[str, ...]) -> None:
    assert page_titles(title) == pages


def test_builtin_title_rules_only_apply_in_browsers_or_to_one_app() -> None:
    for rule in builtin_rules().rules:
        assert rule.origin is RuleOrigin.BUILTIN
        assert rule.label
        assert rule.category in (Category.SOCIAL, Category.MESSAGING)
        if rule.titles or rule.title_regexes:
            assert rule.in_browser or rule.apps


# --- speed -------------------------------------------------------------------------------------------------------


def test_many_distinct_titles_classify_quickly() -> None:
    # The brief aims at more than 100,000 a second; this only catches a collapse (slow CI machines).
    rules = load_rules(None)[0]
    browsers = ["firefox", "google-chrome", "msedge.exe", "Safari", "Code", "kitty"]
    suffix = [" — Mozilla Firefox", " - Google Chrome", " - Personal - Microsoft\u200b Edge", "", "", ""]
    titles = [
        (browsers[index % 6], f"Some page number {index} about things - Example Site{suffix[index % 6]}")
        for index in range(20_000)
    ]
    start = time.perf_counter()
    for app, title in titles:
        rules.classify(app, title)
    assert time.perf_counter() - start < 2.0


@functools.cache
def _user_rules() -> RuleSet:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.toml"
        path.write_text(USER_RULES, encoding="utf-8")
        rules, problems = load_rules(path)
    assert problems == []
    return rules
