"""The standalone app: ``packaging/pyinstaller/build.py`` builds the one-folder app here, and the built program does
what the checkout does (the same report from the same ActivityWatch export, in English and Dutch), puts itself in
the application menu, and runs its tray and dashboard on Xvfb with icewm and as a native Wayland window in a
headless sway; the folder holds the package data and the Qt plugins the app needs, and none of what it does not
(QtWebEngine, QML, TLS, other matplotlib backends).

Slow: PyInstaller takes about half a minute here, more without its cache.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaged_app import AW_EXPORT, AW_WEEK, NO_ICON, REPO, clean_env, probe_json, run, run_tray

from desktop import Desktop, stop_process, wait_until
from middenweg import __version__
from middenweg.desktop_entry import APP_ID

pytestmark = pytest.mark.slow

BUILD = REPO / "packaging" / "pyinstaller" / "build.py"
#: A guard against a dependency or plugin set that grows by accident (measured: 260 MB on Linux in 2026-12).
MAX_MEGABYTES = 320


@dataclass
class Frozen:
    folder: Path
    program: list[str]
    work: Path

    @property
    def internal(self) -> Path:
        return self.folder / "_internal"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[package]')")
    root = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [sys.executable, str(BUILD), "--dist", str(root / "dist"), "--work", str(root / "work")],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "Built middenweg" in done.stdout, done.stdout
    folder = root / "dist" / "middenweg"
    return Frozen(folder, [str(folder / "middenweg")], root / "work" / "middenweg")


def checkout(*args: str, env: dict[str, str], cwd: Path) -> str:
    """The same command run from this checkout, for comparison."""
    done = run([sys.executable, "-m", "middenweg", *args], {**env, "PYTHONPATH": str(REPO / "app")}, cwd)
    assert done.code == 0, done.err
    return done.out


def without_device_ids(report: dict[str, Any]) -> dict[str, Any]:
    for device in report["devices"]:
        device.pop("uid")  # made anew by each import
    return report


def test_the_built_app_runs_the_cli_as_the_checkout_does(frozen: Frozen, tmp_path: Path) -> None:
    env = clean_env(tmp_path / "frozen-home")
    assert run([*frozen.program, "--version"], env, tmp_path).out == f"middenweg {__version__}\n"
    probe_json(frozen.program, env, tmp_path)
    imported = run([*frozen.program, "import", "activitywatch", str(AW_EXPORT)], env, tmp_path)
    assert imported.code == 0, imported.err  # the migrations ran from the bundle
    report = json.loads(run([*frozen.program, "report", "--json", "--week", AW_WEEK], env, tmp_path).out)

    theirs = clean_env(tmp_path / "checkout-home")
    checkout("import", "activitywatch", str(AW_EXPORT), env=theirs, cwd=tmp_path)
    expected = json.loads(checkout("report", "--json", "--week", AW_WEEK, env=theirs, cwd=tmp_path))
    assert report["totals"]["messaging"] > 0  # the built-in rules are there
    assert without_device_ids(report) == without_device_ids(expected)

    dutch = run([*frozen.program, "report", "--week", AW_WEEK], {**env, "LANGUAGE": "nl"}, tmp_path).out
    assert "Berichten" in dutch
    assert dutch == checkout("report", "--week", AW_WEEK, env={**theirs, "LANGUAGE": "nl"}, cwd=tmp_path)


def test_the_built_app_puts_itself_in_the_application_menu(frozen: Frozen, tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    env = clean_env(tmp_path / "home", XDG_DATA_HOME=str(data_home))
    done = run([*frozen.program, "install-desktop-entry"], env, tmp_path)
    assert done.code == 0, done.err
    entry = (data_home / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f"Exec={frozen.program[0]}\n" in entry  # a frozen app starts itself
    assert (data_home / "icons" / "hicolor" / "scalable" / "apps" / "middenweg.svg").is_file()


@pytest.mark.x11
@pytest.mark.e2e
def test_the_built_tray_app_runs_on_a_desktop(frozen: Frozen, desktop: Desktop, tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    tray = run_tray(frozen.program, [], desktop, env, tmp_path / "tray.log")
    assert NO_ICON not in tray.log  # the SVG image format and icon engine plugins are there
    assert "Could not load the Qt platform plugin" not in tray.log
    assert "Traceback" not in tray.log, tray.log
    assert tray.dashboard_class == ("middenweg", "Middenweg")  # the desktop entry's StartupWMClass


@pytest.mark.wayland
@pytest.mark.e2e
def test_the_built_app_opens_its_dashboard_as_a_native_wayland_window(frozen: Frozen, tmp_path: Path) -> None:
    from wayland.sway_session import sway_session  # the headless sway of the Wayland tests

    with sway_session(tmp_path / "sway") as sway:
        session = sway.client_env()
        wayland = ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "HOME")
        # No DISPLAY and no QT_QPA_PLATFORM: Qt must choose its Wayland plugin itself, and find it in the folder.
        env = clean_env(tmp_path / "home", **{name: session[name] for name in wayland})
        log = tmp_path / "wayland.log"
        process = subprocess.Popen(
            [*frozen.program, "demo"], env=env, cwd=tmp_path, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            views = wait_until(
                lambda: [v for v in sway.views() if v.get("name") == "Your week — Middenweg"], "the dashboard", 60
            )
        finally:
            stop_process(process, sig=signal.SIGTERM, timeout=15)
    assert views[0].get("shell") == "xdg_shell", views  # a Wayland window, not one through XWayland
    assert process.returncode == 0, log.read_text()
    assert "Could not load the Qt platform plugin" not in log.read_text()


def test_the_folder_has_the_package_data_and_the_qt_plugins_it_needs(frozen: Frozen) -> None:
    package = REPO / "app" / "middenweg"
    migrations = package / "storage" / "migrations"
    wanted = [
        p
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and (p.suffix not in (".py", ".pyc") or migrations in p.parents)
    ]
    assert len(wanted) > 20
    missing = [
        str(p.relative_to(package.parent))
        for p in wanted
        if not (frozen.internal / p.relative_to(package.parent)).is_file()
    ]
    assert missing == []
    plugins = frozen.internal / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in (plugins / "platforms").iterdir()} == {
        "libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so",
    }  # fmt: skip
    assert [p.name for p in (plugins / "imageformats").iterdir()] == ["libqsvg.so"]
    assert [p.name for p in (plugins / "iconengines").iterdir()] == ["libqsvgicon.so"]
    assert (plugins / "wayland-shell-integration" / "libxdg-shell.so").is_file()
    translations = frozen.internal / "PySide6" / "Qt" / "translations"
    assert sorted(p.name for p in translations.iterdir()) == ["qtbase_nl.qm"]


def test_the_folder_leaves_out_what_the_app_does_not_use(frozen: Frozen) -> None:
    names = [p.relative_to(frozen.folder).as_posix() for p in frozen.folder.rglob("*")]
    unwanted = ("WebEngine", "Qt6Quick", "Qt6Qml", "Qt63D", "Multimedia", "Qt6Pdf", "tcl", "libtk", "_tkinter")
    assert [n for n in names if any(u in n for u in unwanted)] == []
    plugins = frozen.internal / "PySide6" / "Qt" / "plugins"
    assert not (plugins / "tls").exists()
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()  # with it came GTK's libraries of this machine
    # The Python modules: PyInstaller's table of the archive it built.
    _archive, entries = ast.literal_eval((frozen.work / "PYZ-00.toc").read_text(encoding="utf-8"))
    modules = {name for name, _source, _kind in entries}
    backends = {m for m in modules if m.startswith("matplotlib.backends.backend_")}
    assert backends == {
        "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg", "matplotlib.backends.backend_mixed",
    }  # fmt: skip
    assert "middenweg.tracking.platforms.x11" in modules  # chosen by name at run time, so collected on purpose
    assert not [m for m in modules if m.split(".")[0] in ("tkinter", "pytest", "hypothesis", "pygments")]
    megabytes = sum(p.stat().st_size for p in frozen.folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    assert megabytes < MAX_MEGABYTES, f"the app folder is {megabytes:.0f} MB"
