"""Build Middenweg as a one-folder app for this OS with PyInstaller: ``python packaging/pyinstaller/build.py``.

Run it with the Python of an environment that has Middenweg's dependencies and PyInstaller (``pip install -e
".[package]"``, or ``pip install . pyinstaller``). The app lands in ``dist/middenweg/`` (on macOS also
``dist/Middenweg.app``); the script then starts the built program once with ``--version`` and prints where it is and
how big. Exit code 0 when the app was built and starts, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SPEC = HERE / "middenweg.spec"


def folder_size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (symlinks counted once, as links)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executable(dist: Path) -> Path:
    """The built console program."""
    name = "middenweg.exe" if sys.platform == "win32" else "middenweg"
    return dist / "middenweg" / name


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; returns the built program. Raises CalledProcessError when PyInstaller fails."""
    argv = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    argv += ["--distpath", str(dist), "--workpath", str(work)]
    if clean:
        argv.append("--clean")
    argv.append(str(SPEC))
    # No stray PYTHONPATH: the spec decides which middenweg is frozen (this checkout's app/ folder).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(argv, check=True, cwd=REPO, env=env)
    return executable(dist)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the app goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("PyInstaller") is None:
        sys.stderr.write(
            f"PyInstaller is not installed for {sys.executable}. Install it with: "
            f'{sys.executable} -m pip install -e "{REPO}[package]"\n'
        )
        return 1
    began = time.monotonic()
    try:
        program = build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(f"PyInstaller failed (exit code {exc.returncode}); its messages are above.\n")
        return 1
    seconds = time.monotonic() - began
    done = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not done.stdout.startswith("middenweg "):
        sys.stderr.write(f"The built app does not start: {program} --version said:\n{done.stdout}{done.stderr}")
        return 1
    size = folder_size(program.parent) / 1e6
    sys.stdout.write(f"Built {done.stdout.strip()} in {seconds:.0f} s: {program} ({size:.0f} MB in {program.parent})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
