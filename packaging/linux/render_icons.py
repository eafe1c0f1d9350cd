"""Render the app icon for Linux desktops and copy the desktop files into the package: ``python
packaging/linux/render_icons.py`` (``--check`` only compares, for CI and tests).

One source each: the icon is ``app/middenweg/gui/icons/middenweg.svg`` (the one the tray app shows), the desktop
entry and the AppStream metainfo are the files beside this script. The script renders the SVG into the hicolor
sizes with Qt's own SVG renderer (offscreen, no display needed), keeps a copy of the SVG as the scalable icon, and
copies the whole set into ``app/middenweg/freedesktop/``: the package ships that copy (so `middenweg
install-desktop-entry` finds it in a wheel, an editable install and a PyInstaller build alike), and
``tests/packaging/test_desktop_files.py`` fails when the two differ. Run it after changing the SVG or a file here,
and commit what it writes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "app"))

# The id, icon name and sizes (16-48 for menus and panels, 64-256 for launchers) from the installer: one place.
from middenweg.desktop_entry import APP_ID, ICON_NAME, ICON_SIZES  # noqa: E402

SOURCE_SVG = REPO / "app" / "middenweg" / "gui" / "icons" / f"{ICON_NAME}.svg"
PACKAGE_COPY = REPO / "app" / "middenweg" / "freedesktop"


def shipped_files() -> list[Path]:
    """The files the package carries, relative to this folder (and to the package copy)."""
    files = [Path(f"{APP_ID}.desktop"), Path(f"{APP_ID}.metainfo.xml")]
    files.append(Path("icons", "hicolor", "scalable", "apps", f"{ICON_NAME}.svg"))
    files += [Path("icons", "hicolor", f"{size}x{size}", "apps", f"{ICON_NAME}.png") for size in ICON_SIZES]
    return files


def render(svg: Path, size: int, target: Path) -> None:
    """Render ``svg`` into a transparent ``size``×``size`` PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")


def build() -> None:
    scalable = HERE / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SVG, scalable)
    for size in ICON_SIZES:
        render(SOURCE_SVG, size, HERE / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png")
    for name in shipped_files():
        target = PACKAGE_COPY / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / name, target)


def differences() -> list[str]:
    """What is missing or out of date: the scalable icon against the app's SVG, the package copy against here."""
    problems: list[str] = []
    scalable = HERE / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg"
    if not scalable.is_file() or not filecmp.cmp(SOURCE_SVG, scalable, shallow=False):
        problems.append(f"{scalable.relative_to(REPO)} is not a copy of {SOURCE_SVG.relative_to(REPO)}")
    for name in shipped_files():
        source, copy = HERE / name, PACKAGE_COPY / name
        if not source.is_file():
            problems.append(f"{source.relative_to(REPO)} is missing")
        elif not copy.is_file() or not filecmp.cmp(source, copy, shallow=False):
            problems.append(f"{copy.relative_to(REPO)} is not a copy of {source.relative_to(REPO)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say what is missing or out of date")
    args = parser.parse_args(argv)
    if not args.check:
        build()
    problems = differences()
    for problem in problems:
        sys.stderr.write(problem + "\n")
    if problems:
        sys.stderr.write("Run: python packaging/linux/render_icons.py\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
