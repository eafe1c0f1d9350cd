"""How fast the tray app is ready and how much memory it holds, on Xvfb with icewm (a tray host).

Launch → tray icon shown (the app's own "running in the system tray" line), resident memory before the dashboard
was ever opened, then the dashboard opened through a second launch (`middenweg dashboard`, which hands over to the
running app) until its window is visible: the first time (matplotlib loads then) and again. Uses the demo's six
weeks of synthetic usage so the charts have something to draw.

    python benchmarks/app.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from desktop import Desktop, running_desktop, stop_process, wait_until  # noqa: E402
from middenweg.demo import make_demo_home  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dashboard_visible(desk: Desktop) -> bool:
    return bool(desk.xdotool("search", "--onlyvisible", "--name", "Your week").strip())


def open_dashboard(desk: Desktop, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "middenweg", "dashboard"], env=env, check=True, capture_output=True)
    wait_until(lambda: dashboard_visible(desk), "the dashboard", timeout=30, interval=0.01)
    return time.perf_counter() - began


#: Where icewm puts the first tray icon on the 1280x800 test screen (its tray sits at the right of the task bar).
TRAY_ICON = ("1106", "787")


def click_tray_icon(desk: Desktop) -> float:
    began = time.perf_counter()
    desk.xdotool("mousemove", *TRAY_ICON, "click", "1")
    wait_until(lambda: dashboard_visible(desk), "the dashboard after a tray click", timeout=30, interval=0.01)
    return time.perf_counter() - began


def hide_dashboard(desk: Desktop) -> None:
    desk.xdotool("search", "--name", "Your week", "windowactivate", "--sync")
    desk.xdotool("key", "Escape")  # the dashboard hides (Middenweg stays in the tray)
    wait_until(lambda: not dashboard_visible(desk), "the dashboard to hide", timeout=10)


def one_run(desk: Desktop, tmp: Path, index: int) -> tuple[float, float, float, float, float, float]:
    home = tmp / f"home{index}"
    make_demo_home(home, now=time.time(), tz=ZoneInfo("Europe/Amsterdam"))
    env = desk.env(MIDDENWEG_HOME=str(home), PYTHONPATH=str(REPO / "app"), LANGUAGE="en", TZ="Europe/Amsterdam")
    log = tmp / f"app{index}.log"
    with log.open("w") as out:
        began = time.perf_counter()
        app = subprocess.Popen(
            [sys.executable, "-m", "middenweg"], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until(lambda: "running in the system tray" in log.read_text(), "the tray", timeout=30, interval=0.01)
            ready = time.perf_counter() - began
            time.sleep(3)  # a few ticks of tracking before measuring memory
            rss = rss_mb(app.pid)
            first = click_tray_icon(desk)
            hide_dashboard(desk)
            again = click_tray_icon(desk)
            hide_dashboard(desk)
            handed_over = open_dashboard(desk, env)
            time.sleep(1)
            rss_after = rss_mb(app.pid)
        finally:
            stop_process(app, sig=signal.SIGTERM, timeout=10)
    return ready, rss, first, again, handed_over, rss_after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="mw-app-") as tmp, running_desktop(Path(tmp)) as desk:
        for index in range(args.runs):
            results.append(one_run(desk, Path(tmp), index))
    ready, rss, first, again, handed_over, rss_after = (
        statistics.median(values) for values in zip(*results, strict=True)
    )
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}; "
          f"median of {args.runs} launches")  # fmt: skip
    print()
    print("| Measure | Result | Target |")
    print("|---|---|---|")
    print(f"| Tray ready after launch | {ready:.2f} s | ≤ 1.5 s |")
    print(f"| Resident memory before the dashboard is opened | {rss:.0f} MB | ≤ 90 MB |")
    print(f"| Dashboard open from the tray icon, first time (matplotlib loads) | {first:.2f} s | ≤ 1.5 s |")
    print(f"| Dashboard open from the tray icon again | {again:.2f} s | ≤ 0.3 s |")
    print(f"| Dashboard open with `middenweg dashboard` (a second process hands over) | {handed_over:.2f} s | — |")
    print(f"| Resident memory after the dashboard was opened three times | {rss_after:.0f} MB | — |")
    print()
    print("(Times run from the click or command until the window is mapped, polled with xdotool every 10 ms.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
