"""The Linux desktop files, as a desktop and a software centre would read them, and `middenweg install-desktop-entry`
as a person would notice it: after install the menu has an entry that starts this Middenweg, with its icon; after
remove nothing of it is left, and nothing else was touched.

The files are checked with the freedesktop tools themselves (desktop-file-validate, appstreamcli) when they are
installed, and the installed entry is launched with GLib's `gio launch`. The cache tools the installer calls are
real programs on PATH in one test, stand-ins that record their arguments in another (to see that they get a list,
not a shell line), and absent in a third.
"""

from __future__ import annotations

import configparser
import importlib.util
import io
import os
import re
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the icon rendering test, like the other widget tests

from middenweg import __version__
from middenweg.desktop_entry import (
    APP_ID,
    ICON_NAME,
    ICON_SIZES,
    DesktopEntryError,
    cli_desktop_entry,
    install_desktop_entry,
    remove_desktop_entry,
    user_data_home,
)

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
PACKAGE_COPY = REPO / "app" / "middenweg" / "freedesktop"
ENTRY = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SCREENSHOTS = REPO / "resources" / "screenshots"
#: Where the metainfo's screenshots are published: resources/screenshots/<file> (packaging/README-packaging.md).
SCREENSHOT_BASE = "https://middenweg.nl/screenshots/"

needs_desktop_file_validate = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed"
)
needs_appstreamcli = pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstream is not installed (apt-get install appstream)"
)


# --- helpers ------------------------------------------------------------------------------------------------


def read_entry(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # desktop keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def exec_argv(exec_value: str, cwd: Path) -> list[str]:
    """An Exec value split as the Desktop Entry spec says: string escapes first, then the Exec quoting, which /bin/sh
    undoes exactly inside double quotes; "%%" last."""
    table = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    unescaped = re.sub(r"\\([sntr\\])", lambda m: table[m.group(1)], exec_value)
    done = subprocess.run(
        ["sh", "-c", "printf '%s\\0' " + unescaped], capture_output=True, check=True, cwd=cwd, timeout=30
    )
    return [arg.replace("%%", "%") for arg in os.fsdecode(done.stdout).split("\0")[:-1]]


def png_size(path: Path) -> tuple[int, int, int]:
    """Width, height and PNG colour type (6 = RGBA), from the IHDR chunk."""
    data = path.read_bytes()[:26]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25]


def make_recorder(folder: Path, record: Path) -> Path:
    """An executable "middenweg" that writes the arguments it was started with, one per NUL."""
    folder.mkdir(parents=True)
    script = folder / "middenweg"
    target, partial = shlex.quote(str(record)), shlex.quote(str(record) + ".part")
    script.write_text(f'#!/bin/sh\nprintf \'%s\\0\' "$0" "$@" > {partial} && mv {partial} {target}\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def render_icons_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_icons", LINUX / "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the files in packaging/linux ----------------------------------------------------------------------------


@needs_desktop_file_validate
def test_the_entry_passes_desktop_file_validate() -> None:
    done = subprocess.run(["desktop-file-validate", str(ENTRY)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "", done.stdout  # not even a hint


def test_the_entry_starts_middenweg_with_its_icon_and_opens_the_dashboard() -> None:
    entry = read_entry(ENTRY)
    main = entry["Desktop Entry"]
    assert main["Name"] == "Middenweg"
    assert main["Exec"] == main["TryExec"] == "middenweg"
    assert main["Icon"] == ICON_NAME
    assert main["Comment[nl]"] and main["Comment[nl]"] != main["Comment"]
    # Qt names its windows' class after the application name ("Middenweg"), which ties them to this entry on X11.
    assert main["StartupWMClass"] == "Middenweg"
    assert main["Actions"] == "dashboard;"
    assert entry["Desktop Action dashboard"]["Exec"] == "middenweg dashboard"


@needs_appstreamcli
def test_the_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation was successful" in done.stdout


def test_the_metainfo_names_the_entry_this_version_and_screenshots_that_exist() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == ENTRY.name
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__
    images = root.findall("screenshots/screenshot/image")
    assert images, "no screenshots"
    for image in images:
        url = image.text or ""
        assert url.startswith(SCREENSHOT_BASE), url
        shot = SCREENSHOTS / url.removeprefix(SCREENSHOT_BASE)
        assert shot.is_file(), f"{url} is not a file in resources/screenshots"
        width, height, _kind = png_size(shot)
        assert (image.get("width"), image.get("height")) == (str(width), str(height)), url


def test_the_changelog_has_the_release_the_metainfo_describes() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = ET.parse(METAINFO).getroot().find("releases/release")
    assert newest is not None
    # A development release is the changelog's Unreleased section; a stable one has its own heading.
    heading = "## [Unreleased]" if newest.get("type") == "development" else f"## [{newest.get('version')}]"
    assert heading in changelog


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_icon_is_a_square_png_of_its_size(size: int) -> None:
    path = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"
    assert png_size(path) == (size, size, 6)  # RGBA: round icon, transparent corners


def test_the_scalable_icon_is_the_apps_own_svg_and_the_package_carries_every_file() -> None:
    done = subprocess.run(
        [sys.executable, str(LINUX / "render_icons.py"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    shipped = sorted(p.relative_to(PACKAGE_COPY) for p in PACKAGE_COPY.rglob("*") if p.is_file())
    assert shipped == sorted(render_icons_script().shipped_files())


@pytest.mark.gui
def test_the_pngs_are_the_svg_rendered_now(qapp: object, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    script = render_icons_script()
    for size in ICON_SIZES:
        fresh = tmp_path / f"{size}.png"
        script.render(script.SOURCE_SVG, size, fresh)
        committed = QImage(str(LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"))
        now = QImage(str(fresh))
        assert committed.size() == now.size()
        worst = 0
        for x in range(size):
            for y in range(size):
                a, b = committed.pixelColor(x, y), now.pixelColor(x, y)
                worst = max(worst, *(abs(p - q) for p, q in zip(a.getRgb(), b.getRgb(), strict=True)))
        # A little room for another Qt version's antialiasing; a changed SVG differs by far more.
        assert worst <= 16, f"the {size} px icon is out of date: python packaging/linux/render_icons.py"


# --- install-desktop-entry ----------------------------------------------------------------------------------


@pytest.fixture
def data_home(tmp_path: Path) -> Path:
    return tmp_path / "data home"  # a space: nothing may split paths on it


def installed_entry(data_home: Path) -> Path:
    return data_home / "applications" / f"{APP_ID}.desktop"


def test_install_writes_the_entry_metainfo_and_icons_readable_and_whole(data_home: Path) -> None:
    old_umask = os.umask(0o077)  # a strict umask must not make the files unreadable to the desktop's services
    try:
        placed = install_desktop_entry(data_home, command=["/opt/middenweg/bin/middenweg"])
    finally:
        os.umask(old_umask)
    assert placed.entry == installed_entry(data_home)
    assert placed.metainfo == data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    expected_icons = {data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg"}
    expected_icons |= {data_home / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{ICON_NAME}.png" for s in ICON_SIZES}
    assert set(placed.icons) == expected_icons
    for path in placed.all:
        # 0644 as the autostart entry: nothing secret is in them (tests/unit/test_autostart.py asserts the same).
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
        assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "a temp file was left behind"
    assert placed.metainfo.read_bytes() == METAINFO.read_bytes()
    for icon in placed.icons:
        assert icon.read_bytes() == (LINUX / icon.relative_to(data_home)).read_bytes()


def test_the_installed_entry_runs_this_middenweg_and_keeps_everything_else(data_home: Path) -> None:
    placed = install_desktop_entry(data_home)
    entry = read_entry(placed.entry)
    argv = exec_argv(entry["Desktop Entry"]["Exec"], data_home)
    assert os.path.isabs(argv[0]) and os.access(argv[0], os.X_OK)
    env = {**os.environ, "PYTHONPATH": str(REPO / "app")}
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.stdout == f"middenweg {__version__}\n", done.stderr
    assert entry["Desktop Entry"]["TryExec"] == argv[0]
    assert exec_argv(entry["Desktop Action dashboard"]["Exec"], data_home) == [*argv, "dashboard"]
    # Every other key is the packaged entry's.
    packaged = read_entry(ENTRY)
    for group in packaged.sections():
        for key, value in packaged[group].items():
            if key not in ("Exec", "TryExec"):
                assert entry[group][key] == value, (group, key)


@needs_desktop_file_validate
def test_the_installed_entry_passes_desktop_file_validate_from_an_awkward_folder(
    data_home: Path, tmp_path: Path
) -> None:
    odd = tmp_path / "Mijn programma's" / '50% $HOME `x` "q" back\\slash' / "middenweg"
    install_desktop_entry(data_home, command=[str(odd)])
    done = subprocess.run(
        ["desktop-file-validate", str(installed_entry(data_home))], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


@needs_appstreamcli
def test_the_installed_tree_passes_appstreamcli_validate_tree(tmp_path: Path) -> None:
    # validate-tree reads a system root: its usr/share is the data folder, with the entry and the icons beside it.
    install_desktop_entry(tmp_path / "root" / "usr" / "share", command=["/usr/bin/middenweg"])
    done = subprocess.run(
        ["appstreamcli", "validate-tree", "--no-net", str(tmp_path / "root")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("gio") is None, reason="GLib's gio tool is not installed")
def test_glib_launches_exactly_the_command(data_home: Path, tmp_path: Path) -> None:
    record = tmp_path / "argv.bin"
    script = make_recorder(tmp_path / "Mijn programma's" / '50% $HOME `x` "q" back\\slash (2)', record)
    install_desktop_entry(data_home, command=[str(script), "--flag", "two words"])
    subprocess.run(["gio", "launch", str(installed_entry(data_home))], check=True, timeout=30, capture_output=True)
    deadline = time.monotonic() + 20
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # gio launch does not wait for the program it started
    assert os.fsdecode(record.read_bytes()).split("\0")[:-1] == [str(script), "--flag", "two words"]


def test_remove_takes_away_exactly_what_install_wrote(data_home: Path) -> None:
    others = [
        data_home / "applications" / "org.example.Other.desktop",
        data_home / "icons" / "hicolor" / "48x48" / "apps" / "other.png",
        data_home / "metainfo" / "org.example.Other.metainfo.xml",
    ]
    for other in others:
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text("someone else's", encoding="utf-8")
    placed = install_desktop_entry(data_home, command=["/usr/bin/middenweg"])
    install_desktop_entry(data_home, command=["/usr/bin/middenweg"])  # again: replaces, adds nothing
    removed = remove_desktop_entry(data_home)
    assert sorted(removed) == sorted(placed.all)
    assert not any(path.exists() for path in placed.all)
    assert all(other.read_text(encoding="utf-8") == "someone else's" for other in others)
    assert remove_desktop_entry(data_home) == []  # twice is fine


def test_the_cache_tools_get_an_argument_list_and_only_a_cache_that_exists_is_refreshed(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    calls = tmp_path / "calls.txt"
    for name in ("update-desktop-database", "gtk-update-icon-cache"):
        # Stand-ins that record their argv, one argument per line.
        script = tools / name
        script.write_text(
            f'#!/bin/sh\n{{ echo "$0"; for a in "$@"; do echo "$a"; done; echo; }} >> {shlex.quote(str(calls))}\n',
            encoding="utf-8",
        )
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    install_desktop_entry(data_home, command=["/usr/bin/middenweg"])
    recorded = [call.split("\n") for call in calls.read_text(encoding="utf-8").strip().split("\n\n")]
    assert recorded == [[str(tools / "update-desktop-database"), "--quiet", str(data_home / "applications")]]

    calls.unlink()
    (data_home / "icons" / "hicolor" / "icon-theme.cache").write_bytes(b"")
    remove_desktop_entry(data_home)
    recorded = [call.split("\n") for call in calls.read_text(encoding="utf-8").strip().split("\n\n")]
    hicolor = data_home / "icons" / "hicolor"
    assert recorded == [
        [str(tools / "gtk-update-icon-cache"), "--quiet", "--force", "--ignore-theme-index", str(hicolor)],
        [str(tools / "update-desktop-database"), "--quiet", str(data_home / "applications")],
    ]


def test_without_the_cache_tools_install_and_remove_still_work(
    data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    placed = install_desktop_entry(data_home, command=["/usr/bin/middenweg"])
    assert placed.entry.is_file()
    assert remove_desktop_entry(data_home) == list(placed.all)


def test_the_data_folder_is_xdg_data_home_or_dot_local_share(tmp_path: Path) -> None:
    assert user_data_home({"XDG_DATA_HOME": str(tmp_path / "x")}) == tmp_path / "x"
    # XDG Base Directory spec: a relative path is invalid and ignored.
    assert user_data_home({"XDG_DATA_HOME": "rel/x", "HOME": str(tmp_path)}) == tmp_path / ".local" / "share"
    assert user_data_home({}, home=tmp_path) == tmp_path / ".local" / "share"


def test_an_entry_that_cannot_be_written_is_a_clear_error_naming_it(data_home: Path) -> None:
    entry = installed_entry(data_home)
    entry.mkdir(parents=True)  # the place is taken by a folder: fails as root too
    with pytest.raises(DesktopEntryError, match=re.escape(str(entry))):
        install_desktop_entry(data_home, command=["/usr/bin/middenweg"])
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]  # no temp file left behind


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_are_told_it_is_for_linux_desktops(data_home: Path, platform: str) -> None:
    with pytest.raises(DesktopEntryError, match=f"this computer runs {platform}"):
        install_desktop_entry(data_home, platform=platform)
    assert not data_home.exists()


# --- the CLI ------------------------------------------------------------------------------------------------


def test_cli_install_and_remove_say_one_line_each(data_home: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    command = ["/usr/bin/middenweg"]
    assert cli_desktop_entry("install", out, err=err, data_home=data_home, command=command) == 0
    assert cli_desktop_entry("remove", out, err=err, data_home=data_home) == 0
    assert cli_desktop_entry("remove", out, err=err, data_home=data_home) == 0
    assert out.getvalue().splitlines() == [
        f"Middenweg is in the application menu now ({installed_entry(data_home)}).",
        "Middenweg is no longer in the application menu.",
        "Middenweg was not in the application menu; nothing was removed.",
    ]
    assert err.getvalue() == ""


def test_cli_failure_is_one_line_on_stderr_and_exit_1(data_home: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    installed_entry(data_home).mkdir(parents=True)
    assert cli_desktop_entry("install", out, err=err, data_home=data_home, command=["/usr/bin/middenweg"]) == 1
    assert out.getvalue() == ""
    assert err.getvalue().startswith("middenweg: ") and err.getvalue().count("\n") == 1
    assert str(installed_entry(data_home)) in err.getvalue()
