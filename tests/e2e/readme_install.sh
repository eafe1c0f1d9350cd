#!/usr/bin/env bash
# README's install-and-start command (`./packaging/install.sh`), run in a throw-away home on this machine: it must
# install Middenweg, put `middenweg` in ~/.local/bin and start it (until the tray exists: this week's report).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip}
status=0
out=$(env -u MIDDENWEG_HOME -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME="$tmp/home" \
      bash "$repo/packaging/install.sh" 2>&1) || status=$?
echo "$out" | tail -n 25
[ "$status" -eq 0 ] || { echo "install.sh exited with $status"; exit 1; }
grep -q "Week " <<<"$out" || { echo "install.sh did not start Middenweg"; exit 1; }
[ -x "$tmp/home/.local/bin/middenweg" ] || { echo "no ~/.local/bin/middenweg"; exit 1; }
"$tmp/home/.local/bin/middenweg" --version
echo "README install command: ok"
