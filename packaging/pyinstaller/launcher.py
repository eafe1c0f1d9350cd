"""The frozen app's entry point: the same ``main`` as the ``middenweg`` console script and ``python -m middenweg``.

A script of its own, outside ``app/middenweg``: PyInstaller puts the script's folder on the import path, and the
package's folder would make its modules (``config``, ``paths``...) importable as top-level names.
"""

import os
import sys

from middenweg.cli import main

if __name__ == "__main__":
    # A windowed program (middenwegw.exe on Windows, the macOS app bundle when started from Finder) has no
    # sys.stdout or sys.stderr: lines the app writes there would raise instead of going nowhere.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open for the life of the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.exit(main())
