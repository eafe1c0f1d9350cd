"""Fixtures shared by the Wayland tests."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from standin_hyprland import Hypr


@pytest.fixture
def hypr() -> Iterator[Hypr]:
    # Signatures look like "<git commit>_<unix time>_<random>"; a unique one keeps /tmp/hypr of other runs apart.
    signature = f"c68452935579ac10f459a548cca5cb5db8b115d3_{int(time.time())}_{secrets.randbelow(10**6)}"
    # Socket paths are limited to 107 bytes, too few under pytest's tmp_path: the runtime folder lives in /tmp.
    runtime = Path(tempfile.mkdtemp(prefix="mw-hypr-", dir="/tmp"))
    made = Hypr(signature, runtime)
    yield made
    for server in made.servers:
        server.stop()
    shutil.rmtree(runtime, ignore_errors=True)
    shutil.rmtree(Path("/tmp/hypr") / signature, ignore_errors=True)
    with contextlib.suppress(OSError):
        Path("/tmp/hypr").rmdir()  # only when empty: another instance's folder stays
