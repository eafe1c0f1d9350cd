"""Middenweg in the application menu of Linux and the other free desktops: a desktop entry, the icons and the AppStream
metainfo in the user's own data folder (``$XDG_DATA_HOME``, by default ``~/.local/share``).

The files come from the package (``middenweg/freedesktop``, the copy of ``packaging/linux`` that
``packaging/linux/render_icons.py`` makes), so a wheel, an editable install and a PyInstaller build all carry them.
The entry's Exec and TryExec become the command that starts this very installation (`autostart.start_command`),
quoted as the autostart entry quotes it. This module must never do anything at import time, never write outside the
user's data folder (no /usr, no sudo), never touch another program's files, and never run a shell: the desktop's
cache tools run with an argument list, only when they are installed, and nothing fails when they are not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TextIO

from middenweg.autostart import (
    _escape_string,
    _exec_argv,
    _home,
    _reason,
    _xdg_dir,
    desktop_exec,
    start_command,
)
from middenweg.i18n import _
from middenweg.public_files import write_public

__all__ = [
    "APP_ID",
    "ICON_NAME",
    "ICON_SIZES",
    "DesktopEntryError",
    "DesktopFiles",
    "cli_desktop_entry",
    "desktop_files",
    "install_desktop_entry",
    "remove_desktop_entry",
    "user_data_home",
]

#: The AppStream component id and the desktop entry's name (``nl.middenweg.Middenweg.desktop``).
APP_ID = "nl.middenweg.Middenweg"
#: The icon's name in the hicolor theme; the autostart entry names the same icon.
ICON_NAME = "middenweg"
#: The hicolor sizes shipped as PNG, besides the scalable SVG.
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)

EXIT_OK, EXIT_ERROR = 0, 1

_TOOL_TIMEOUT = 30.0


class DesktopEntryError(Exception):
    """The menu entry could not be written or removed; the message says which file and what to do."""


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    """Where the entry, the metainfo and each icon go under one data folder."""

    entry: Path
    metainfo: Path
    icons: tuple[Path, ...]

    @property
    def all(self) -> tuple[Path, ...]:
        return (self.entry, self.metainfo, *self.icons)


def _shipped_names() -> list[str]:
    """The package's files, relative to ``middenweg/freedesktop`` and to the data folder alike."""
    names = [f"applications/{APP_ID}.desktop", f"metainfo/{APP_ID}.metainfo.xml"]
    names.append(f"icons/hicolor/scalable/apps/{ICON_NAME}.svg")
    names += [f"icons/hicolor/{size}x{size}/apps/{ICON_NAME}.png" for size in ICON_SIZES]
    return names


def _package_name(installed: str) -> str:
    # The package keeps the entry and the metainfo at its top, as packaging/linux does.
    return installed.split("/", 1)[1] if installed.startswith(("applications/", "metainfo/")) else installed


def desktop_files(data_home: Path) -> DesktopFiles:
    """The places of the files under ``data_home`` (XDG Base Directory spec; Icon Theme spec for the icons)."""
    paths = [data_home / name for name in _shipped_names()]
    return DesktopFiles(paths[0], paths[1], tuple(paths[2:]))


def user_data_home(environ: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """``$XDG_DATA_HOME`` when it is an absolute path, else ``~/.local/share``."""
    env = os.environ if environ is None else environ
    if home is None:
        home = _home(env)
    return _xdg_dir(env, "XDG_DATA_HOME") or home / ".local" / "share"


def _entry_text(template: str, argv: Sequence[str]) -> str:
    """The packaged entry with each Exec (the app's and its actions') and TryExec turned into ``argv``."""
    run = _exec_argv(argv)
    lines: list[str] = []
    for line in template.split("\n"):
        key, sep, value = line.partition("=")
        if sep and key == "Exec":
            # The packaged Exec is "middenweg" and plain arguments (packaging/linux keeps it so): nothing to unquote.
            lines.append(f"Exec={desktop_exec([*run, *value.split()[1:]])}")
        elif sep and key == "TryExec":
            # TryExec is the program itself: once it is uninstalled, the desktop hides the entry.
            lines.append(f"TryExec={_escape_string(argv[0])}")
        else:
            lines.append(line)
    return "\n".join(lines)


def _read_packaged(name: str) -> bytes:
    resource = files("middenweg").joinpath("freedesktop")
    for part in _package_name(name).split("/"):
        resource = resource.joinpath(part)
    try:
        return resource.read_bytes()
    except OSError as exc:
        raise DesktopEntryError(
            _(
                "The file {name} is missing from this installation of Middenweg ({reason}). Install Middenweg again."
            ).format(name=_package_name(name), reason=_reason(exc))
        ) from exc


def _check_platform(platform: str) -> None:
    if platform in ("win32", "cygwin", "darwin"):
        raise DesktopEntryError(
            _(
                "The application menu entry is for Linux and the other free desktops, and this computer runs {system}."
            ).format(system=platform)
        )


def install_desktop_entry(
    data_home: Path | None = None,
    *,
    command: Sequence[str] | None = None,
    platform: str | None = None,
) -> DesktopFiles:
    """Write the entry, the metainfo and the icons under ``data_home`` (default: `user_data_home()`) and tell the
    desktop; installing again replaces them. ``command`` stands in for `start_command()`.

    Every file is written whole or not at all, mode 0644 like the autostart entry (nothing in them is private).
    """
    _check_platform(sys.platform if platform is None else platform)
    root = user_data_home() if data_home is None else data_home
    argv = list(command) if command is not None else start_command()
    contents = {name: _read_packaged(name) for name in _shipped_names()}
    entry_name = _shipped_names()[0]
    contents[entry_name] = _entry_text(contents[entry_name].decode("utf-8"), argv).encode("utf-8")
    # The entry last: the menu never shows it before its icons are there.
    for name in reversed(list(contents)):
        _write_atomically(root / name, contents[name])
    placed = desktop_files(root)
    _tell_the_desktop(root)
    return placed


def remove_desktop_entry(data_home: Path | None = None, *, platform: str | None = None) -> list[Path]:
    """Remove what `install_desktop_entry` wrote under ``data_home``; returns the files that were there.

    Folders stay: other programs' entries and icons live in them too.
    """
    _check_platform(sys.platform if platform is None else platform)
    root = user_data_home() if data_home is None else data_home
    removed: list[Path] = []
    for path in desktop_files(root).all:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopEntryError(
                _(
                    "Could not remove {path} ({reason}). Delete it yourself, or check that you may write to the "
                    "folder {folder}."
                ).format(path=path, reason=_reason(exc), folder=path.parent)
            ) from exc
        removed.append(path)
    if removed:
        _tell_the_desktop(root)
    return removed


# --- files and the desktop's caches -------------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        write_public(path, data)
    except OSError as exc:
        raise DesktopEntryError(
            _(
                "Could not write {path} ({reason}). Check that you may write to the folder {folder}, then try again."
            ).format(path=path, reason=_reason(exc), folder=path.parent)
        ) from exc


def _tell_the_desktop(root: Path) -> None:
    """Refresh the caches that would otherwise hide the change. Best effort: the files are right without it."""
    hicolor = root / "icons" / "hicolor"
    # Icon caches trust themselves while the theme folder is no newer than they are (Icon Theme spec, "Implementation
    # notes"; gtk-update-icon-cache(1)): touching it makes a stale cache be ignored.
    with suppress(OSError):
        os.utime(hicolor)
    tool = shutil.which("gtk-update-icon-cache")
    if tool and (hicolor / "icon-theme.cache").exists():
        # Only a cache that is already there is refreshed: a new one would hide the icons that other programs
        # later put here without updating it.
        _run_quietly([tool, "--quiet", "--force", "--ignore-theme-index", str(hicolor)])
    tool = shutil.which("update-desktop-database")
    if tool:
        _run_quietly([tool, "--quiet", str(root / "applications")])


def _run_quietly(argv: list[str]) -> None:
    with suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=_TOOL_TIMEOUT,
            check=False,
        )


# --- the CLI ------------------------------------------------------------------------------------------------


def cli_desktop_entry(
    action: str,
    out: TextIO,
    *,
    err: TextIO | None = None,
    data_home: Path | None = None,
    command: Sequence[str] | None = None,
    platform: str | None = None,
) -> int:
    """``middenweg install-desktop-entry`` (``action`` "install") and ``remove-desktop-entry`` ("remove"): one
    translated line on ``out``, and the exit code. A failure is one line on ``err`` (default stderr) and exit code 1.
    """
    if action not in ("install", "remove"):
        raise ValueError(f"unknown desktop entry action {action!r}")
    errors = sys.stderr if err is None else err
    try:
        if action == "install":
            placed = install_desktop_entry(data_home, command=command, platform=platform)
            out.write(_("Middenweg is in the application menu now ({path}).").format(path=placed.entry) + "\n")
        else:
            removed = remove_desktop_entry(data_home, platform=platform)
            line = (
                _("Middenweg is no longer in the application menu.")
                if removed
                else _("Middenweg was not in the application menu; nothing was removed.")
            )
            out.write(line + "\n")
    except DesktopEntryError as exc:
        errors.write(_("middenweg: {message}").format(message=exc) + "\n")
        return EXIT_ERROR
    return EXIT_OK
