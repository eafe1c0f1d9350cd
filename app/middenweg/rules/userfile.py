"""Adding a rule to the user's ``rules.toml``, and previewing which stored windows a new rule would catch.

The settings dialog uses this to let people write a rule without opening a text editor. A new rule is appended
as a ``[[rule]]`` block at the end of the file; everything already in the file is kept byte for byte, and the
file is replaced atomically (a temporary file in the same folder, mode 0600). The preview goes through the same
loader and matcher as the real rules, so what it shows is what the rule will do. This module must never change
a rule that is already in the file, and never write a file in which the new rule would not work as shown (a
broken file is left as it is and the user is told to fix it first).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from middenweg.domain.categories import Category
from middenweg.i18n import _
from middenweg.rules.engine import Rule, RuleOrigin, RuleSet
from middenweg.rules.loader import SCHEMA_VERSION, parse_rules

_FILE_MODE = 0o600
_DIR_MODE = 0o700
# A label no person writes, so that a window classified with it was decided by the rule being previewed.
_PREVIEW_LABEL = "\x00middenweg-preview\x00"

HEADER = (
    "# Your own Middenweg categorisation rules.\n"
    "#\n"
    "# They are tried before the built-in rules, in the order they appear here, and the first rule\n"
    "# that matches a window decides. Rules added in Middenweg's settings are appended at the end.\n"
    '# The format is described in the README ("Your own rules").\n'
    "\n"
    f"schema_version = {SCHEMA_VERSION}\n"
)


class Window(Protocol):
    """A window as stored: what a preview needs of `middenweg.storage.records.WindowUsage` (rules may not import
    storage)."""

    @property
    def app(self) -> str: ...

    @property
    def title(self) -> str | None: ...


WindowT = TypeVar("WindowT", bound=Window)


class UserRuleError(ValueError):
    """A rule that cannot be added, or a rules file it cannot be added to; ``str(e)`` says what to do."""


@dataclass(frozen=True, slots=True)
class NewRule:
    """A rule as a person fills it in: glob patterns on the app name and/or the window title."""

    app: str | None
    title: str | None
    category: Category
    label: str | None = None
    in_browser: bool = False

    def cleaned(self) -> NewRule:
        """The rule with surrounding spaces removed and empty texts as None; raises `UserRuleError` if unusable."""
        app = _text_or_none(self.app)
        title = _text_or_none(self.title)
        if not all(_is_text(text) for text in (app, title, self.label)):
            raise UserRuleError(
                _(
                    "The rule holds a character that cannot be saved as text (an unpaired surrogate); type the "
                    "pattern and label again without it."
                )
            )
        if app is None and title is None:
            raise UserRuleError(
                _("A rule needs an app pattern or a title pattern (or both); fill in at least one of them.")
            )
        try:
            category = Category(self.category)
        except ValueError:
            raise UserRuleError(
                _('The category must be "social", "messaging" or "other", not “{value}”.').format(value=self.category)
            ) from None
        return NewRule(app, title, category, _text_or_none(self.label), bool(self.in_browser))


def _is_text(text: str | None) -> bool:
    """False for a string that cannot be written as UTF-8: it holds a lone surrogate (half of a UTF-16 pair)."""
    try:
        (text or "").encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_or_none(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped (TOML 1.0, 2.4)."""
    parts = ['"']
    for char in text:
        if char == '"':
            parts.append('\\"')
        elif char == "\\":
            parts.append("\\\\")
        elif char == "\t":
            parts.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\u{ord(char):04X}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def rule_block(rule: NewRule) -> str:
    """The ``[[rule]]`` block for ``rule`` (already cleaned), ending with a newline."""
    lines = ["[[rule]]"]
    if rule.app is not None:
        lines.append(f"app = {toml_string(rule.app)}")
    if rule.title is not None:
        lines.append(f"title = {toml_string(rule.title)}")
    if rule.in_browser:
        lines.append("in_browser = true")
    lines.append(f"category = {toml_string(rule.category.value)}")
    if rule.label is not None:
        lines.append(f"label = {toml_string(rule.label)}")
    return "\n".join(lines) + "\n"


def to_rule(rule: NewRule) -> Rule:
    """The engine's `Rule` for ``rule``, read by the real loader from the block that would be written.

    Raises `UserRuleError` when the rule is unusable (no pattern, a bad category, a pattern the loader refuses).
    """
    clean = rule.cleaned()
    text = f"schema_version = {SCHEMA_VERSION}\n\n{rule_block(clean)}"
    parsed = parse_rules(text, Path("rules.toml"), RuleOrigin.USER)
    if parsed.problems or len(parsed.rules) != 1:
        message = parsed.problems[0].message if parsed.problems else _("The rule could not be read back.")
        raise UserRuleError(message)
    return parsed.rules[0]


def _joined(existing: str, block: str) -> str:
    if not existing:
        return HEADER + "\n" + block
    # A file written on Windows keeps its line endings; mixing them is valid TOML but untidy in an editor.
    newline = "\r\n" if "\r\n" in existing else "\n"
    separator = newline if existing.endswith("\n") else newline * 2
    return existing + separator + block.replace("\n", newline)


def append_rule(
    path: Path,
    *,
    app: str | None,
    title: str | None,
    category: Category,
    label: str | None = None,
    in_browser: bool = False,
) -> None:
    """Append a rule to the rules file at ``path``, creating the file (with a short header) if it is missing.

    The existing text is kept byte for byte. Raises `UserRuleError` (a ValueError) for a rule without any pattern,
    an invalid category, a rules file that is broken or cannot be read or written; the file is then unchanged.
    """
    new_rule = NewRule(app, title, category, label, in_browser).cleaned()
    expected = to_rule(new_rule)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as error:
        raise UserRuleError(
            _("The rules file {file} could not be read ({reason}); the rule was not added.").format(
                file=path, reason=error.strerror or error
            )
        ) from error
    try:
        existing = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserRuleError(
            _(
                "The rules file {file} is not UTF-8 text. Save it as UTF-8 in a text editor, then add the rule again."
            ).format(file=path)
        ) from None
    new_text = _joined(existing, rule_block(new_rule))
    _check_appended(existing, new_text, expected, path)
    _write_atomically(target, new_text.encode("utf-8"))


def _check_appended(existing: str, new_text: str, expected: Rule, path: Path) -> None:
    """Refuse to write unless the new file holds the old rules and then exactly ``expected``."""
    before = parse_rules(existing, path, RuleOrigin.USER) if existing else None
    after = parse_rules(new_text, path, RuleOrigin.USER)
    old_rules = before.rules if before is not None else ()
    if after.rules == (*old_rules, expected):
        return
    problems = after.problems or (before.problems if before is not None else ())
    reason = str(problems[0]) if problems else _("the new rule would not be read as written")
    raise UserRuleError(
        _(
            "The rule was not added because the rules file needs fixing first ({reason}). Open {file} in a text editor."
        ).format(reason=reason, file=path)
    )


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, _FILE_MODE)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError as error:
        raise UserRuleError(
            _("The rules file {file} could not be written ({reason}); the rule was not added.").format(
                file=path, reason=error.strerror or error
            )
        ) from error


def preview(rule: NewRule, windows: Sequence[WindowT], *, earlier: Sequence[Rule] = ()) -> list[WindowT]:
    """The windows (from ``windows``, in their order) that ``rule`` would decide once added.

    ``earlier`` are the rules already in the user's file: they come first, so a window one of them decides is
    not the new rule's. The built-in rules come after a user rule and never take a window from it. Windows whose
    title was not stored (None) can only be caught by a rule without a title pattern, as in real tracking.
    Raises `UserRuleError` for a rule that cannot be used.
    """
    candidate = dataclasses.replace(to_rule(rule), label=_PREVIEW_LABEL)
    ruleset = RuleSet([*earlier, candidate])
    return [window for window in windows if ruleset.classify(window.app, window.title).label == _PREVIEW_LABEL]
