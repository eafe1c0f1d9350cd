"""PyInstaller hook for PySide6.QtNetwork: PyInstaller's own, less the TLS and network-information plugins and the
OpenSSL libraries it adds for them.

Middenweg uses QtNetwork only for QLocalServer/QLocalSocket (one instance per data folder, on a local socket) and
makes no network connections. It replaces the built-in hook (hooks in the spec's hookspath come first).
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, dest) for source, dest in binaries if not {"tls", "networkinformation"} & set(PurePath(dest).parts)
]
