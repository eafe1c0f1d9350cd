"""One module per platform; the only modules that touch Xlib, ctypes.windll, AppKit or D-Bus. Nothing at import."""
