"""CPU time per sample and resident memory of ``middenweg track --headless`` on X11 under Xvfb.

Starts a private desktop (Xvfb, icewm, D-Bus: the same helpers as the end-to-end tests), opens a messenger, a
browser on a social site and an editor, runs the real tracker at 1 Hz and plays a person: a focus change every
``--switch-every`` seconds and some mouse input every few seconds. CPU is the tracker process's own user+system time
(its interpreter's wake-ups included) after start-up, divided by the samples taken.

    python benchmarks/tracker.py               # 10 minutes, as in README
    python benchmarks/tracker.py --seconds 60  # a quick look
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from desktop import running_desktop, stop_process, wait_until  # noqa: E402

WINDOWS = [
    ("Telegram (3)", ("telegram-desktop", "TelegramDesktop")),
    ("(2) Facebook — Mozilla Firefox", ("Navigator", "firefox")),
    ("notes.md - middenweg - Visual Studio Code", ("code", "Code")),
]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--switch-every", type=float, default=40.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mw-bench-") as tmp, running_desktop(Path(tmp)) as desk:
        windows = [desk.open_window(title, cls) for title, cls in WINDOWS]
        desk.activate(windows[0])
        env = desk.env(MIDDENWEG_HOME=str(Path(tmp) / "home"), PYTHONPATH=str(REPO / "app"))
        # The database exists already, as at every login after the first (a first start also loads Alembic).
        subprocess.run([sys.executable, "-m", "middenweg", "report"], env=env, check=True, capture_output=True)
        log = Path(tmp) / "tracker.log"
        with log.open("w") as out:
            tracker = subprocess.Popen(
                [sys.executable, "-m", "middenweg", "track", "--headless", "--interval", str(args.interval)],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            try:
                wait_until(lambda: "Ctrl+C" in log.read_text(), "the tracker to start", timeout=30)
                time.sleep(2)  # let start-up settle before measuring
                startup_cpu, start_rss = cpu_seconds(tracker.pid), rss_mb(tracker.pid)
                began = time.monotonic()
                next_switch, next_input, current = began + args.switch_every, began, 0
                while (now := time.monotonic()) - began < args.seconds:
                    if now >= next_switch:
                        current = (current + 1) % len(windows)
                        desk.activate(windows[current])
                        next_switch += args.switch_every
                    if now >= next_input:
                        desk.move_mouse(10 + int(now) % 200, 10)
                        next_input += 5
                    time.sleep(0.2)
                elapsed = time.monotonic() - began
                used = cpu_seconds(tracker.pid) - startup_cpu
                end_rss = rss_mb(tracker.pid)
            finally:
                stop_process(tracker, sig=signal.SIGINT, timeout=10)
        samples = elapsed / args.interval
        print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
        print()
        print("| Measure | Result | Target |")
        print("|---|---|---|")
        print(
            f"| Tracker CPU per sample ({elapsed:.0f} s at {1 / args.interval:g} Hz, X11 on Xvfb) "
            f"| {used / samples * 1000:.2f} ms ({used:.2f} s CPU for {samples:.0f} samples) | ≤ 1.5 ms |"
        )
        print(f"| Tracker start-up CPU | {startup_cpu:.2f} s | — |")
        print(
            f"| Tracker resident memory | {end_rss:.1f} MB at the end ({start_rss:.1f} MB after start-up) | ≤ 50 MB |"
        )
        print(f"| Tracker exit on SIGINT | code {tracker.returncode} | 0 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
