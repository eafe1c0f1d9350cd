#!/usr/bin/env bash
# Installs Middenweg for the current user and starts it: the system libraries Qt needs (with sudo when not root),
# a private virtual environment, and a `middenweg` command in ~/.local/bin. Run it again to update.
# Set MIDDENWEG_NO_START=1 to install without starting.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
venv=${MIDDENWEG_VENV:-$data_home/middenweg-app/venv}
bin_dir=$HOME/.local/bin

if command -v apt-get >/dev/null 2>&1 && [ -z "${MIDDENWEG_SKIP_APT:-}" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing system packages (python3-venv and the libraries Qt uses)…"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    python3 python3-venv libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 \
    libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
    fonts-dejavu-core >/dev/null
fi

echo "Installing Middenweg into $venv…"
${PYTHON:-python3} -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$here"
mkdir -p "$bin_dir"
ln -sf "$venv/bin/middenweg" "$bin_dir/middenweg"
echo "Installed: $bin_dir/middenweg"
# In the application menu, with its icon (into $XDG_DATA_HOME; a desktop without a menu loses nothing).
"$venv/bin/middenweg" install-desktop-entry || echo "Middenweg is installed, but not in the application menu (see above)."

if [ -z "${MIDDENWEG_NO_START:-}" ]; then
  exec "$venv/bin/middenweg"
fi
