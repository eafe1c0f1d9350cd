"""Which Wayland paths a session is tried with, in which order: its own compositor's first, then what can answer on
the session bus. Real sessions' environments (as GNOME, Plasma, Sway and Hyprland set them)."""

from __future__ import annotations

import pytest

from middenweg.tracking.select import desktop_names, wayland_paths


@pytest.mark.parametrize(
    ("environ", "paths", "hinted"),
    [
        # Ubuntu's GNOME session.
        (
            {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "WAYLAND_DISPLAY": "wayland-0"},
            ["gnome", "kwin"],
            {"gnome"},
        ),
        # Fedora's Plasma 6 session.
        (
            {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_DESKTOP": "KDE"},
            ["kwin", "gnome"],
            {"kwin"},
        ),
        # Sway started from a console: no XDG_CURRENT_DESKTOP, but its socket.
        (
            {"WAYLAND_DISPLAY": "wayland-1", "SWAYSOCK": "/run/user/1000/sway-ipc.1000.123.sock"},
            ["sway", "gnome", "kwin"],
            {"sway"},
        ),
        # Hyprland.
        (
            {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "Hyprland", "HYPRLAND_INSTANCE_SIGNATURE": "abc_1"},
            ["hyprland", "gnome", "kwin"],
            {"hyprland"},
        ),
        # A compositor Middenweg has no path of its own for (labwc): only what may answer on the bus.
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "labwc:wlroots"}, ["gnome", "kwin"], set()),
    ],
    ids=["ubuntu-gnome", "plasma", "sway", "hyprland", "labwc"],
)
def test_the_sessions_own_path_comes_first(environ: dict[str, str], paths: list[str], hinted: set[str]) -> None:
    assert wayland_paths(environ) == (paths, hinted)


def test_desktop_names_come_from_every_variable_in_lower_case() -> None:
    environ = {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "XDG_SESSION_DESKTOP": "ubuntu", "DESKTOP_SESSION": ""}
    assert desktop_names(environ) == ["ubuntu", "gnome", "ubuntu"]
    assert desktop_names({}) == []
