"""Adding rules to a user's rules.toml from the settings dialog, and previewing what a new rule would catch."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middenweg.domain.categories import Category
from middenweg.rules import Classification, RuleOrigin, load_rules
from middenweg.rules.userfile import NewRule, UserRuleError, append_rule, preview
from middenweg.storage.records import WindowUsage

HAND_WRITTEN = textwrap.dedent(
    """\
    # my rules — written by hand, with comments   and odd spacing
    schema_version = 1

    [[rule]]
    app = "thunderbird"   # mail is not messaging for me
    category = "other"
    """
)


def usage(app: str, title: str | None, seconds: int, category: Category = Category.OTHER) -> WindowUsage:
    return WindowUsage(app, title, category, app, seconds)


# --- append_rule ---------------------------------------------------------------------------------------------------


def test_a_missing_file_is_created_with_a_header_and_the_rule_works(tmp_path: Path) -> None:
    path = tmp_path / "config" / "rules.toml"
    append_rule(path, app=None, title="*Mastodon*", category=Category.SOCIAL, label="Mastodon", in_browser=True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#")
    assert "schema_version = 1" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("firefox", "Mastodon — Mozilla Firefox") == Classification(Category.SOCIAL, "Mastodon")
    # in_browser: the same title in a text editor is not Mastodon.
    assert rules.classify("gedit", "Mastodon") == Classification(Category.OTHER, "gedit")


def test_the_existing_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    path.chmod(0o644)
    append_rule(path, app="firefox", title="*Jira*", category=Category.OTHER)
    data = path.read_bytes()
    assert data.startswith(HAND_WRITTEN.encode("utf-8"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rules, problems = load_rules(path)
    assert problems == []
    user = [rule for rule in rules.rules if rule.origin is RuleOrigin.USER]
    assert [rule.apps for rule in user] == [("thunderbird",), ("firefox",)]
    assert rules.classify("Thunderbird", "Inbox") == Classification(Category.OTHER, "Thunderbird")
    assert rules.classify("firefox", "Jira board — Mozilla Firefox").category is Category.OTHER


def test_a_file_without_a_final_newline_or_with_windows_line_endings_stays_valid(tmp_path: Path) -> None:
    no_newline = tmp_path / "a.toml"
    no_newline.write_bytes(b'[[rule]]\napp = "x"\ncategory = "other"  # last line')
    append_rule(no_newline, app="y", title=None, category=Category.MESSAGING)
    assert no_newline.read_bytes().startswith(b'[[rule]]\napp = "x"\ncategory = "other"  # last line\n')
    rules, problems = load_rules(no_newline)
    assert problems == []
    assert rules.classify("y", None).category is Category.MESSAGING

    crlf = tmp_path / "b.toml"
    crlf.write_bytes(b'schema_version = 1\r\n\r\n[[rule]]\r\napp = "x"\r\ncategory = "other"\r\n')
    append_rule(crlf, app="y", title=None, category=Category.SOCIAL)
    data = crlf.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare newlines mixed in
    assert load_rules(crlf)[0].classify("y", None).category is Category.SOCIAL


def test_several_rules_are_appended_in_order_and_the_first_match_wins(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    append_rule(path, app="firefox", title="*Reddit*", category=Category.OTHER, label="Reddit for work")
    append_rule(path, app=None, title="*Reddit*", category=Category.SOCIAL)
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.classify("firefox", "r/python - Reddit — Mozilla Firefox") == Classification(
        Category.OTHER, "Reddit for work"
    )
    assert rules.classify("chromium", "r/python - Reddit - Chromium") == Classification(Category.SOCIAL, "Reddit")


@pytest.mark.parametrize(
    ("app", "title"),
    [(None, None), ("", ""), ("   ", "\t")],
)
def test_a_rule_without_any_pattern_is_refused_and_nothing_is_written(
    tmp_path: Path, app: str | None, title: str | None
) -> None:
    path = tmp_path / "rules.toml"
    with pytest.raises(ValueError, match="app pattern or a title pattern"):
        append_rule(path, app=app, title=title, category=Category.SOCIAL)
    assert not path.exists()


def test_an_invalid_category_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    with pytest.raises(ValueError, match='must be "social", "messaging" or "other", not “games”'):
        append_rule(path, app="x", title=None, category="games")  # type: ignore[arg-type]
    assert path.read_bytes() == HAND_WRITTEN.encode("utf-8")


def test_a_broken_rules_file_is_not_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    broken = b'[[rule]]\napp = "x\ncategory = "other"\n'
    path.write_bytes(broken)
    with pytest.raises(UserRuleError, match="fixing first"):
        append_rule(path, app="y", title=None, category=Category.SOCIAL)
    assert path.read_bytes() == broken


def test_a_file_from_a_newer_middenweg_is_not_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    newer = b'schema_version = 99\n\n[[rule]]\napp = "x"\ncategory = "other"\n'
    path.write_bytes(newer)
    with pytest.raises(UserRuleError):
        append_rule(path, app="y", title=None, category=Category.SOCIAL)
    assert path.read_bytes() == newer


def test_a_file_with_one_bad_rule_still_gets_the_new_rule(tmp_path: Path) -> None:
    """One bad rule is reported by the loader and skipped; it does not stop a good rule from being added."""
    path = tmp_path / "rules.toml"
    path.write_bytes(b'[[rule]]\napp = "x"\ncategory = "games"\n')
    append_rule(path, app="y", title=None, category=Category.SOCIAL)
    rules, problems = load_rules(path)
    assert len(problems) == 1
    assert rules.classify("y", None).category is Category.SOCIAL


def test_a_symlinked_rules_file_is_edited_where_it_lives(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "rules.toml"
    real.parent.mkdir()
    real.write_bytes(HAND_WRITTEN.encode("utf-8"))
    link = tmp_path / "rules.toml"
    link.symlink_to(real)
    append_rule(link, app="y", title=None, category=Category.SOCIAL)
    assert link.is_symlink()
    assert load_rules(link)[0].classify("y", None).category is Category.SOCIAL


def test_nothing_is_left_behind_in_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    append_rule(path, app="y", title=None, category=Category.SOCIAL)
    append_rule(path, app="z", title=None, category=Category.SOCIAL)
    assert os.listdir(tmp_path) == ["rules.toml"]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)),
        min_size=1,
        max_size=30,
    ).filter(lambda value: value.strip() != ""),
    # A label is stored, and PostgreSQL takes no NUL character: such a label is refused (see
    # test_a_label_with_a_nul_character_is_refused...); the app pattern still has every character.
    label=st.one_of(
        st.none(),
        st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=1, max_size=20).filter(
            lambda value: value.strip() != ""
        ),
    ),
)
def test_any_text_is_written_so_that_it_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, text: str, label: str | None
) -> None:
    """Quotes, backslashes, control characters and non-ASCII: the file always parses to the rule as typed."""
    path = tmp_path_factory.mktemp("any") / "rules.toml"
    append_rule(path, app=text, title=None, category=Category.MESSAGING, label=label)
    rules, problems = load_rules(path)
    assert problems == []
    added = rules.rules[0]
    assert added.apps == (text.strip(),)
    assert added.label == (label.strip() if label is not None else None)


# --- preview -------------------------------------------------------------------------------------------------------

WINDOWS = [
    usage("firefox", "Home | Mastodon — Mozilla Firefox", 1200),
    usage("firefox", "Jira board — Mozilla Firefox", 900),
    usage("gedit", "notes about Mastodon", 300),
    usage("Signal", "Signal", 200, Category.MESSAGING),
    usage("firefox", None, 100),
]


def test_preview_lists_the_windows_a_title_rule_would_catch() -> None:
    rule = NewRule(app=None, title="*Mastodon*", category=Category.SOCIAL)
    assert [w.title for w in preview(rule, WINDOWS)] == ["Home | Mastodon — Mozilla Firefox", "notes about Mastodon"]
    in_browser = NewRule(app=None, title="*mastodon*", category=Category.SOCIAL, in_browser=True)
    assert [w.title for w in preview(in_browser, WINDOWS)] == ["Home | Mastodon — Mozilla Firefox"]


def test_preview_follows_the_glob_semantics_of_real_rules() -> None:
    # A glob must match the whole title: without wildcards "Mastodon" is only a window titled exactly that.
    assert preview(NewRule(app=None, title="Mastodon", category=Category.SOCIAL), WINDOWS) == []
    # An app pattern alone catches every window of the app, also those whose title was not stored.
    caught = preview(NewRule(app="Firefox", title=None, category=Category.OTHER), WINDOWS)
    assert [w.seconds for w in caught] == [1200, 900, 100]
    # An app and a title pattern must both match.
    both = preview(NewRule(app="firefox", title="*jira*", category=Category.OTHER), WINDOWS)
    assert [w.seconds for w in both] == [900]


def test_preview_agrees_with_the_file_that_append_rule_writes(tmp_path: Path) -> None:
    """The one matcher: after adding, exactly the previewed windows are classified by the new rule."""
    path = tmp_path / "rules.toml"
    rule = NewRule(app=None, title="*Mastodon*", category=Category.MESSAGING, label="Toots")
    shown = preview(rule, WINDOWS)
    append_rule(path, app=rule.app, title=rule.title, category=rule.category, label=rule.label)
    rules, _problems = load_rules(path)
    decided = [w for w in WINDOWS if rules.classify(w.app, w.title) == Classification(Category.MESSAGING, "Toots")]
    assert decided == shown


def test_preview_leaves_out_windows_an_earlier_user_rule_decides(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    append_rule(path, app="gedit", title=None, category=Category.OTHER)
    earlier = [rule for rule in load_rules(path)[0].rules if rule.origin is RuleOrigin.USER]
    rule = NewRule(app=None, title="*Mastodon*", category=Category.SOCIAL)
    assert [w.app for w in preview(rule, WINDOWS, earlier=earlier)] == ["firefox"]


def test_preview_refuses_a_rule_without_a_pattern() -> None:
    with pytest.raises(UserRuleError):
        preview(NewRule(app=" ", title=None, category=Category.SOCIAL), WINDOWS)


def test_a_label_too_long_to_store_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    with pytest.raises(UserRuleError, match="The label has 250 characters; a label may have at most 200"):
        append_rule(path, app="xyzzy", title=None, category=Category.SOCIAL, label="L" * 250)
    assert path.read_bytes() == HAND_WRITTEN.encode("utf-8")


def test_a_label_with_a_nul_character_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    with pytest.raises(UserRuleError, match=r"The label holds a NUL character \(\\u0000\); write it without one"):
        append_rule(path, app="xyzzy", title=None, category=Category.SOCIAL, label="Mast\x00odon")
    assert path.read_bytes() == HAND_WRITTEN.encode("utf-8")
