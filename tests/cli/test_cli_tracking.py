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


def test_probe_without_a_display_says_why_and_exits_3(cli: CliRunner) -> None:
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    result = cli("probe", "--json", **env)
    assert result.code == 3, result.err
    data = json.loads(result.out)
    assert data["probe"] is None and data["window"] is None
    [attempt] = data["attempts"]
    assert attempt["state"] == "unsupported" and "Wayland" in attempt["reason"]
    human = cli("probe", **env)
    assert human.code == 3 and "Wayland" in human.out


def test_track_without_a_display_exits_with_the_reason(cli: CliRunner) -> None:
    result = cli("track", "--headless", DISPLAY="", WAYLAND_DISPLAY="", XDG_SESSION_TYPE="tty")
    assert result.code == 3
    assert "DISPLAY is not set" in result.err and "Traceback" not in result.err
