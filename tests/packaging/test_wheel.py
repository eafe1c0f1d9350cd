"""The Python package as a person gets it: ``python -m build`` makes an sdist and, from it, a wheel; ``twine check``
accepts both; the wheel installed into a fresh virtual environment (none of this checkout on its path) runs the CLI,
finds its translations, rules and migrations, puts itself in the application menu, and opens the demo on Xvfb.

Slow (a build, a virtual environment with PySide6 and matplotlib, a GUI start): about a minute here.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tarfile
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaged_app import AW_EXPORT, AW_WEEK, NO_ICON, REPO, clean_env, probe_json, run, run_tray

from desktop import Desktop
from middenweg import __version__
from middenweg.desktop_entry import APP_ID

pytestmark = pytest.mark.slow

PACKAGE = REPO / "app" / "middenweg"


@dataclass
class Built:
    wheel: Path
    sdist: Path


@dataclass
class Installed:
    root: Path
    program: list[str]


def package_files() -> set[str]:
    """Every file of the package folder as the wheel names it (``middenweg/...``), caches left out."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    for tool in ("build", "twine"):
        if importlib.util.find_spec(tool) is None:
            pytest.skip(f"{tool} is not installed (pip install -e '.[package]')")
    out = tmp_path_factory.mktemp("dist")
    # Without --sdist/--wheel, build makes the sdist and then the wheel from the unpacked sdist: both must be whole.
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = out.glob("middenweg-*.whl")
    (sdist,) = out.glob("middenweg-*.tar.gz")
    return Built(wheel, sdist)


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(root, with_pip=True)
    python = root / "bin" / "python"
    env = clean_env(root.parent / "unused-home")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(built.wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Installed(root, [str(root / "bin" / "middenweg")])


def test_twine_accepts_the_wheel_and_the_sdist(built: Built) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(built.wheel), str(built.sdist)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_the_wheel_and_the_sdist_carry_every_file_of_the_package(built: Built) -> None:
    expected = package_files()
    # The run-time data by name, so that a test that compares sets cannot pass on an empty package.
    for name in (
        "middenweg/i18n/locale/nl/LC_MESSAGES/middenweg.mo",
        "middenweg/rules/builtin.toml",
        "middenweg/storage/migrations/env.py",
        "middenweg/storage/migrations/script.py.mako",
        "middenweg/storage/migrations/versions/0001_initial.py",
        "middenweg/reference/sources.py",
        "middenweg/gui/icons/middenweg.svg",
        f"middenweg/freedesktop/{APP_ID}.desktop",
        f"middenweg/freedesktop/{APP_ID}.metainfo.xml",
        "middenweg/freedesktop/icons/hicolor/256x256/apps/middenweg.png",
    ):
        assert name in expected, name
    with zipfile.ZipFile(built.wheel) as wheel:
        in_wheel = {name for name in wheel.namelist() if name.startswith("middenweg/")}
    assert expected - in_wheel == set()
    with tarfile.open(built.sdist) as sdist:
        prefix = f"middenweg-{__version__}/app/"
        in_sdist = {m.name.removeprefix(prefix) for m in sdist.getmembers() if m.isfile() and m.name.startswith(prefix)}
    assert expected - in_sdist == set()


def test_the_installed_wheel_runs_the_cli_from_its_own_environment(installed: Installed, tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    python = str(installed.root / "bin" / "python")
    where = run([python, "-c", "import middenweg; print(middenweg.__file__)"], env, tmp_path)
    assert where.out.startswith(str(installed.root)), where  # not this checkout
    assert run([*installed.program, "--version"], env, tmp_path).out == f"middenweg {__version__}\n"
    probe = probe_json(installed.program, env, tmp_path)
    assert probe["attempts"], probe  # no display here: it says why, as JSON
    assert run([*installed.program, "import", "activitywatch", str(AW_EXPORT)], env, tmp_path).code == 0
    report = json.loads(run([*installed.program, "report", "--json", "--week", AW_WEEK], env, tmp_path).out)
    # The built-in rules (builtin.toml) put Telegram and WhatsApp Web in messaging; the migrations made the database.
    assert report["totals"]["messaging"] > 0
    assert {"Telegram", "WhatsApp"} <= {app["app"] for app in report["top_apps"]}
    dutch = run([*installed.program, "report", "--week", AW_WEEK], {**env, "LANGUAGE": "nl"}, tmp_path)
    assert "Berichten" in dutch.out, dutch  # the compiled Dutch catalogue is there


def test_the_installed_wheel_puts_itself_in_the_application_menu(installed: Installed, tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    env = clean_env(tmp_path / "home", XDG_DATA_HOME=str(data_home))
    done = run([*installed.program, "install-desktop-entry"], env, tmp_path)
    assert done.code == 0, done.err
    entry = (data_home / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f"Exec={installed.program[0]}\n" in entry  # this environment's own console script
    assert (data_home / "icons" / "hicolor" / "48x48" / "apps" / "middenweg.png").is_file()
    assert run([*installed.program, "remove-desktop-entry"], env, tmp_path).code == 0
    assert not any(p.is_file() for p in data_home.rglob(f"{APP_ID}*"))


@pytest.mark.x11
@pytest.mark.e2e
def test_the_installed_wheel_opens_the_demo_on_a_desktop(
    installed: Installed, desktop: Desktop, tmp_path: Path
) -> None:
    env = clean_env(tmp_path / "home")
    tray = run_tray(installed.program, ["demo"], desktop, env, tmp_path / "demo.log")
    assert NO_ICON not in tray.log  # the SVG icons load
    # The desktop entry's StartupWMClass is the class Qt gives the windows.
    assert tray.dashboard_class == ("middenweg", "Middenweg")
    assert not (tmp_path / "home").exists()  # the demo keeps to its own temporary home
