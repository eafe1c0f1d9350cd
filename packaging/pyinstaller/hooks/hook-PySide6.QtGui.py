"""PyInstaller hook for PySide6.QtGui: PyInstaller's own, less the Qt plugins Middenweg never loads.

It replaces the built-in hook (hooks in the spec's hookspath come first), so what is left out here never reaches
PyInstaller's dependency scan either: without the GTK platform theme no GTK, Pango or Cairo libraries from the build
machine are bundled (they would clash with the system's GTK at run time).

Kept: the platforms Middenweg runs on (xcb, wayland, and offscreen/minimal for headless use), the SVG image format
(the tray and window icons; PNG is built into QtGui), the input contexts (compose keys, IBus), the
xdg-desktop-portal theme, the xcb GL integrations and the Wayland client plugins.
"""

import sys
from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)

_DROPPED_TYPES = {"egldeviceintegrations", "generic"}
_LINUX_PLATFORMS = ("libqxcb", "libqwayland", "libqoffscreen", "libqminimal.")


def _wanted(source: str, dest: str) -> bool:
    parts = PurePath(dest).parts
    if "plugins" not in parts or parts[-1] == "plugins":
        return True
    kind, name = parts[-1], PurePath(source).name
    if kind in _DROPPED_TYPES:
        return False
    if kind == "imageformats":
        return "svg" in name
    if kind == "platformthemes":
        return "gtk" not in name
    if kind == "platforms" and sys.platform.startswith("linux"):
        return name.startswith(_LINUX_PLATFORMS)
    return True


binaries = [(source, dest) for source, dest in binaries if _wanted(source, dest)]
