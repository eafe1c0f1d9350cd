"""The PySide6 shell: tray, dashboard and dialogs. The only package that imports Qt."""
