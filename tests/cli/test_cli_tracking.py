"""Tracking commands that need no display: pause and resume, and a probe that explains why it cannot see."""

from __future__ import annotations

import json

from clirunner import CliRunner


def test_pause_and_resume(cli: CliRunner) -> None:
    result = cli("pause", "15m")
    assert result.code == 0 and "paused until" in result.out
    assert (cli.home / "data" / "pause.json").exists()
    result = cli("pause")
    assert result.code == 0 and "until you resume" in result.out
    assert cli("resume").code == 0
    assert not (cli.home / "data" / "pause.json").exists()
    bad = cli("pause", "a while")
    assert bad.code == 1 and "15m" in bad.err and "Traceback" not in bad.err


def test_probe_on_a_wayland_desktop_without_a_way_says_why_and_exits_3(cli: CliRunner) -> None:
    # labwc, with no session bus and no XWayland: nothing to ask.
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland",
           "XDG_CURRENT_DESKTOP": "labwc:wlroots", "DBUS_SESSION_BUS_ADDRESS": "", "XDG_RUNTIME_DIR": ""}  # fmt: skip
    result = cli("probe", "--json", **env)
    assert result.code == 3, result.err
    data = json.loads(result.out)
    assert data["probe"] is None and data["window"] is None
    assert [a["probe"] for a in data["attempts"]] == ["gnome", "kwin", "wayland"]  # what it tried, and the summary
    assert all(a["state"] == "unsupported" for a in data["attempts"])
    summary = data["attempts"][-1]["reason"]
    assert "GNOME (with an extension), KDE Plasma, Sway and Hyprland, or in an X11 session" in summary
    human = cli("probe", **env)
    assert human.code == 3 and summary in human.out and "Traceback" not in human.err


def test_track_without_a_display_exits_with_the_reason(cli: CliRunner) -> None:
    result = cli("track", "--headless", DISPLAY="", WAYLAND_DISPLAY="", XDG_SESSION_TYPE="tty")
    assert result.code == 3
    assert "DISPLAY is not set" in result.err and "Traceback" not in result.err
