"""A user's rules.toml: overriding the built-ins, each kind of mistake with its line, broken and missing files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from middenweg.domain.categories import Category
from middenweg.rules import RuleProblem, builtin_rules, load_rules
from middenweg.rules.engine import Classification

EDGE = "Microsoft\u200b Edge"


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def lines_of(problems: list[RuleProblem]) -> list[int | None]:
    return [problem.line for problem in problems]


# --- what user rules do ------------------------------------------------------------------------------------------


def test_the_documented_example_file_works(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        schema_version = 1

        [[rule]]
        app = "thunderbird"          # glob pattern(s) on the app name: a string or a list; * and ? wildcards
        category = "other"

        [[rule]]
        title = "*Mastodon*"         # glob pattern(s) on the window title
        in_browser = true            # optional: only in web browsers
        category = "social"
        label = "Mastodon"           # optional: the name shown in top-apps lists

        [[rule]]
        app = "linkedin"             # "this is not social for me": user rules override the built-ins
        title = "*LinkedIn*"
        category = "other"

        [[rule]]
        title_regex = "^Jira .*"     # optional regular expressions instead of globs: app_regex / title_regex
        category = "other"
        """,
    )
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("firefox", "Mastodon docs — Mozilla Firefox") == Classification(Category.SOCIAL, "Mastodon")
    assert rules.classify("LinkedIn", "LinkedIn") == Classification(Category.OTHER, "LinkedIn")
    # App and title together: the LinkedIn app's own window, not a LinkedIn tab in a browser.
    assert rules.classify("firefox", "Feed | LinkedIn — Mozilla Firefox").category is Category.SOCIAL
    assert rules.classify("jira-desktop", "JIRA board").category is Category.OTHER


def test_user_rules_override_builtins_in_browsers_and_apps(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        app = "linkedin"
        category = "other"

        [[rule]]
        title = "*| LinkedIn"
        in_browser = true
        category = "other"
        label = "LinkedIn"

        [[rule]]
        app = "Slack.exe"
        category = "other"
        label = "Work chat"
        """,
    )
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("LinkedIn", None) == Classification(Category.OTHER, "LinkedIn")
    assert rules.classify("firefox", "Feed | LinkedIn — Mozilla Firefox") == Classification(Category.OTHER, "LinkedIn")
    assert rules.classify("msedge.exe", f"Feed | LinkedIn - Personal - {EDGE}").category is Category.OTHER
    # ".exe" is ignored on both sides: the Windows rule also covers Slack on Linux and macOS.
    for app in ("slack", "Slack", "slack.exe"):
        assert rules.classify(app, "general (Channel) - Acme - Slack") == Classification(Category.OTHER, "Work chat")
    # Everything else keeps its built-in category.
    assert rules.classify("firefox", "Home / X — Mozilla Firefox").category is Category.SOCIAL
    assert builtin_rules().classify("LinkedIn", None).category is Category.SOCIAL


def test_first_matching_user_rule_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        title = "*Standup*"
        category = "other"
        label = "Meetings"

        [[rule]]
        app = "zoom*"
        category = "messaging"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("zoom.us", "Daily Standup") == Classification(Category.OTHER, "Meetings")
    assert rules.classify("zoom.us", "Zoom Meeting") == Classification(Category.MESSAGING, "zoom.us")


def test_in_browser_limits_a_rule_to_browsers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        title = "*Jira*"
        in_browser = true
        category = "social"
        label = "Jira"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("google-chrome", "[ABC-1] Fix login - Jira - Google Chrome").label == "Jira"
    assert rules.classify("jira-cli", "Jira").category is Category.OTHER


def test_title_globs_match_the_page_title_in_browsers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        title = "Inbox"
        category = "messaging"
        label = "Mail"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("firefox", "Inbox — Mozilla Firefox").label == "Mail"
    assert rules.classify("msedge.exe", f"Inbox - Work - {EDGE}").label == "Mail"
    assert rules.classify("evolution", "Inbox").label == "Mail"
    # Outside browsers nothing is taken off the title.
    assert rules.classify("thunderbird", "Inbox - Mozilla Thunderbird").category is Category.OTHER


def test_globs_treat_brackets_literally_and_ignore_case(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        title = "[ABC-?] *"
        category = "other"
        label = "Tickets"

        [[rule]]
        app = ["*.social.app", "mast?don"]
        category = "social"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("kate", "[abc-1] fix the login").label == "Tickets"
    assert rules.classify("kate", "[ABC-12] fix the login").label == "kate"  # ? is one character
    assert rules.classify("kate", "A fix the login").label == "kate"  # [..] is not a character set
    assert rules.classify("Example.Social.App", None).category is Category.SOCIAL
    assert rules.classify("MASTODON", None).category is Category.SOCIAL


def test_regexes_search_ignore_case_and_may_use_any_syntax(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        r"""
        [[rule]]
        app_regex = '^steam'
        category = "social"
        label = "Steam"

        [[rule]]
        title_regex = ['(?x) ^ grafana \s* $', '(standup|retro)\s+notes', '(?P<n>ab)(?P=n)']
        category = "other"
        label = "Work"

        [[rule]]
        title_regex = 'Sprint \d+'
        category = "social"
        label = "Sprints"
        """,
    )
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("steamwebhelper.exe", None).label == "Steam"
    assert rules.classify("Steam", "Library").label == "Steam"
    assert rules.classify("firefox", "Grafana — Mozilla Firefox").label == "Work"
    assert rules.classify("obsidian", "Weekly RETRO   notes.md").label == "Work"
    assert rules.classify("obsidian", "xxABAByy").label == "Work"
    assert rules.classify("obsidian", "Plan for sprint 12").label == "Sprints"
    assert rules.classify("obsidian", "Sprint planning").label == "obsidian"


def test_label_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        title = "*Mastodon*"
        in_browser = true
        category = "social"

        [[rule]]
        title = "* - Jira"
        category = "other"

        [[rule]]
        app = "signal-cli-gui"
        category = "messaging"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("firefox", "Mastodon docs — Mozilla Firefox").label == "Mastodon"
    assert rules.classify("firefox", "Board - Jira — Mozilla Firefox").label == "firefox"
    assert rules.classify("signal-cli-gui", None) == Classification(Category.MESSAGING, "signal-cli-gui")


def test_rules_with_a_title_pattern_need_a_title(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        app = "WhatsApp"
        title = "*Work group*"
        category = "other"
        """,
    )
    rules, _ = load_rules(path)
    assert rules.classify("WhatsApp", "Work group - WhatsApp").category is Category.OTHER
    # Titles kept out: only app rules can match, so the built-in app rule decides.
    assert rules.classify("WhatsApp", None) == Classification(Category.MESSAGING, "WhatsApp")


def test_missing_file_and_no_file_give_the_builtins(tmp_path: Path) -> None:
    for user_file in (None, tmp_path / "rules.toml"):
        rules, problems = load_rules(user_file)
        assert problems == []
        assert rules.fingerprint == builtin_rules().fingerprint
        assert rules.classify("firefox", "Home / X — Mozilla Firefox").category is Category.SOCIAL


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes('\ufeff[[rule]]\napp = "kate"\ncategory = "social"\n'.encode())
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("kate", None).category is Category.SOCIAL


# --- fingerprints ------------------------------------------------------------------------------------------------


def test_fingerprint_follows_the_rules_not_the_formatting(tmp_path: Path) -> None:
    one = write(tmp_path, '[[rule]]\napp = "kate"\ncategory = "social"\n', "one.toml")
    same = write(tmp_path, '# my rules\n\n[[rule]]\napp   = "kate"   # editor\ncategory = "social"\n', "same.toml")
    other = write(tmp_path, '[[rule]]\napp = "kate"\ncategory = "other"\n', "other.toml")
    prints = [load_rules(path)[0].fingerprint for path in (one, same, other)]
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]
    assert prints[0] != builtin_rules().fingerprint
    assert load_rules(one)[0].fingerprint == prints[0]  # stable between loads
    assert len(prints[0]) == 16 and all(char in "0123456789abcdef" for char in prints[0])


def test_fingerprint_depends_on_rule_order(tmp_path: Path) -> None:
    a = '[[rule]]\napp = "kate"\ncategory = "social"\n'
    b = '[[rule]]\napp = "kate"\ncategory = "other"\n'
    first = load_rules(write(tmp_path, a + b, "ab.toml"))[0]
    second = load_rules(write(tmp_path, b + a, "ba.toml"))[0]
    assert first.fingerprint != second.fingerprint
    assert first.classify("kate", None).category != second.classify("kate", None).category


# --- mistakes, each reported with its line -----------------------------------------------------------------------

BAD_RULES = """
schema_version = 1

[[rule]]
app = "kate"
category = "social"

[[rule]]
app = "gedit"
colour = "red"
category = "social"

[[rule]]
app = "vim"
category = "sociaal"

[[rule]]
title_regex = "(unclosed"
category = "other"

[[rule]]
category = "social"
label = "Nothing"

[[rule]]
app = 42
category = "social"

[[rule]]
app = "nano"
in_browser = "yes"
category = "social"

[[rule]]
app = "emacs"
label = 7
category = "social"

[[rule]]
app = "joe"

[[rule]]
title = ["ok", 3]
category = "social"

[[rule]]
app = ""
category = "social"

[[rule]]
app = "kwrite"
category = "messaging"
"""


def test_each_bad_rule_is_reported_at_its_line_and_left_out(tmp_path: Path) -> None:
    rules, problems = load_rules(write(tmp_path, BAD_RULES))
    assert lines_of(problems) == [9, 14, 17, 20, 25, 30, 35, 38, 42, 46]
    messages = [problem.message for problem in problems]
    assert "colour" in messages[0]
    assert "sociaal" in messages[1]
    assert "(unclosed" in messages[2] and "regular expression" in messages[2]
    assert "no app, title" in messages[3]
    assert "app" in messages[4] and "42" in messages[4]
    assert "in_browser" in messages[5]
    assert "label" in messages[6]
    assert "no category" in messages[7]
    assert "title" in messages[8]
    assert "empty" in messages[9]
    # The good rules around them work; the bad ones are not used at all.
    assert rules.classify("kate", None).category is Category.SOCIAL
    assert rules.classify("kwrite", None).category is Category.MESSAGING
    for app in ("gedit", "vim", "nano", "emacs", "joe"):
        assert rules.classify(app, "anything").category is Category.OTHER
    assert [rule.line for rule in rules.rules[:2]] == [3, 49]


def test_problems_read_as_sentences_with_file_and_line(tmp_path: Path) -> None:
    _, problems = load_rules(write(tmp_path, BAD_RULES))
    text = str(problems[1])
    assert text.startswith("rules.toml, line 14: ")
    assert text.endswith(".")
    assert str(RuleProblem(Path("/x/rules.toml"), None, "Something.")) == "rules.toml: Something."


def test_invalid_toml_gives_one_problem_with_its_line_and_no_user_rules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[rule]]
        app = "kate"
        category = "social"

        [[rule]]
        app = "gedit
        category = "social"
        """,
    )
    rules, problems = load_rules(path)
    assert len(problems) == 1
    assert problems[0].line == 6
    assert "TOML" in problems[0].message
    assert rules.classify("kate", None).category is Category.OTHER
    assert rules.classify("Telegram.exe", None).category is Category.MESSAGING  # the built-ins still work


def test_a_newer_schema_version_is_not_used(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = 2\n\n[[rule]]\napp = "kate"\ncategory = "social"\n')
    rules, problems = load_rules(path)
    assert lines_of(problems) == [1]
    assert "newer Middenweg" in problems[0].message
    assert rules.classify("kate", None).category is Category.OTHER
    assert rules.fingerprint == builtin_rules().fingerprint


def test_a_wrong_schema_version_is_reported_but_the_rules_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'schema_version = "1"\n\n[[rule]]\napp = "kate"\ncategory = "social"\n')
    rules, problems = load_rules(path)
    assert lines_of(problems) == [1]
    assert rules.classify("kate", None).category is Category.SOCIAL


def test_unknown_top_level_keys_and_single_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        schema_version = 1
        rules_enabled = true

        [[rule]]
        app = "kate"
        category = "social"
        """,
    )
    rules, problems = load_rules(path)
    assert lines_of(problems) == [2]
    assert "rules_enabled" in problems[0].message
    assert rules.classify("kate", None).category is Category.SOCIAL

    single = write(tmp_path, 'schema_version = 1\n\n[rule]\napp = "kate"\ncategory = "social"\n', "single.toml")
    rules, problems = load_rules(single)
    assert lines_of(problems) == [3]
    assert "[[rule]]" in problems[0].message
    assert rules.classify("kate", None).category is Category.OTHER


def test_inline_rules_are_read_and_problems_point_at_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        schema_version = 1
        rule = [
            { app = "kate", category = "social" },
            { app = "gedit", category = "bad" },
        ]
        """,
    )
    rules, problems = load_rules(path)
    assert lines_of(problems) == [2]
    assert rules.classify("kate", None).category is Category.SOCIAL


def test_rule_headers_inside_multiline_strings_do_not_shift_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '''
        [[rule]]
        app = "kate"
        label = """Kate
        [[rule]]
        editor"""
        category = "social"

        [[rule]]
        app = "gedit"
        category = "wrong"
        ''',
    )
    _, problems = load_rules(path)
    assert lines_of(problems) == [10]


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    folder = tmp_path / "rules.toml"
    folder.mkdir()
    rules, problems = load_rules(folder)
    assert len(problems) == 1 and problems[0].line is None
    assert "could not be read" in problems[0].message
    assert rules.classify("WhatsApp", None).category is Category.MESSAGING

    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[[rule]]\napp = "caf\xe9"\ncategory = "social"\n')
    _, problems = load_rules(latin1)
    assert lines_of(problems) == [2]
    assert "UTF-8" in problems[0].message


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        ('app = "xyzzy"\ncategory = 1', 3),
        ('app = "xyzzy"\ncategory = "social"\nin_browser = 1', 4),
        ('app = ["xyzzy", ["y"]]\ncategory = "social"', 2),
        ('app_regex = "[a-"\ncategory = "social"', 2),
        ('title_regex = ["ok", "*bad"]\ncategory = "social"', 2),
        ('app = "xyzzy"\ncategory = "social"\nlabel = "  "', 4),
        ('"app" = "xyzzy"\ncategory = "social"\n"weird key" = 1', 4),
        ('app = "xyzzy"\ncategory = "social"\n[rule.extra]\nkey = 1', 4),
    ],
)
def test_more_kinds_of_bad_values(tmp_path: Path, rule: str, line: int) -> None:
    rules, problems = load_rules(write(tmp_path, "[[rule]]\n" + rule + "\n"))
    assert lines_of(problems) == [line]
    assert rules.classify("xyzzy", None).category is Category.OTHER


def test_the_format_example_in_builtin_toml_is_valid_and_does_what_it_says(tmp_path: Path) -> None:
    # The comment block at the top of builtin.toml is what the README copies; it must stay true.
    source = (Path(__file__).parents[3] / "app" / "middenweg" / "rules" / "builtin.toml").read_text(encoding="utf-8")
    block = source[source.index("# The format") : source.index("# The keys of a rule")]
    example = "\n".join(line[6:] for line in block.splitlines() if line.startswith("#     "))
    rules, problems = load_rules(write(tmp_path, example))
    assert problems == []
    assert rules.classify("Thunderbird", "Inbox").category is Category.OTHER
    assert rules.classify("firefox", "Mastodon docs — Mozilla Firefox") == Classification(Category.SOCIAL, "Mastodon")
    assert rules.classify("LinkedIn", None) == Classification(Category.OTHER, "LinkedIn")
    assert rules.classify("chrome.exe", "Feed | LinkedIn - Google Chrome") == Classification(Category.OTHER, "LinkedIn")
    assert rules.classify("firefox", "Board - Jira — Mozilla Firefox").category is Category.OTHER
    assert rules.classify("firefox", "Home / X — Mozilla Firefox").category is Category.SOCIAL


# --- labels and the length a database keeps ----------------------------------------------------------------------


def test_a_label_longer_than_a_label_may_be_is_a_problem_at_its_line_and_the_rule_is_not_used(tmp_path: Path) -> None:
    """PostgreSQL keeps at most 200 characters of a label (SQLite would keep any), so a longer one is refused."""
    longest = "L" * 200
    path = write(
        tmp_path,
        f"""
        [[rule]]
        app = "xyzzy"
        category = "social"
        label = "{"L" * 201}"

        [[rule]]
        app = "plugh"
        category = "messaging"
        label = "  {longest}  "
        """,
    )
    rules, problems = load_rules(path)
    assert lines_of(problems) == [4]
    assert problems[0].message == "The label has 201 characters; a label may have at most 200. The rule is not used."
    assert rules.classify("xyzzy", None) == Classification(Category.OTHER, "xyzzy")
    assert rules.classify("plugh", None) == Classification(Category.MESSAGING, longest)


def test_a_label_made_from_a_long_title_pattern_is_shortened(tmp_path: Path) -> None:
    path = write(tmp_path, f'[[rule]]\ntitle = "*{"Club " * 60}*"\ncategory = "social"\n')
    rules, problems = load_rules(path)
    assert problems == []
    label = rules.classify("firefox", "Club " * 60 + "— Mozilla Firefox").label
    assert label == "Club " * 39 + "Club…" and len(label) == 200


def test_a_window_listed_under_a_very_long_app_name_gets_a_label_that_fits() -> None:
    app = "A" * 250
    assert builtin_rules().classify(app, None) == Classification(Category.OTHER, "A" * 199 + "…")


def test_a_label_with_a_nul_character_is_a_problem_and_a_title_pattern_with_one_makes_a_label_without(
    tmp_path: Path,
) -> None:
    """PostgreSQL cannot store a NUL (SQLite can): the label is refused, on every engine alike."""
    path = write(
        tmp_path,
        """
        [[rule]]
        app = "xyzzy"
        category = "social"
        label = "Mast\\u0000odon"

        [[rule]]
        title = "*Club\\u0000Night*"
        category = "social"
        """,
    )
    rules, problems = load_rules(path)
    assert lines_of(problems) == [4]
    assert problems[0].message == (
        "The label holds a NUL character (\\u0000); write it without one. The rule is not used."
    )
    assert rules.classify("xyzzy", None).category is Category.OTHER
    assert rules.classify("firefox", "Club\x00Night") == Classification(Category.SOCIAL, "Club Night")
