#!/usr/bin/env bash
# README's install-and-start command (`./packaging/install.sh`), run in a throw-away home on this machine: it must
# install Middenweg, put `middenweg` in ~/.local/bin and the application menu, and start it. Starting means the tray
# app, so it runs on a private Xvfb (without a tray there, Middenweg opens its dashboard and says why); the test waits
# for that and stops it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill -TERM -- "-$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip}

exec 3>"$tmp/displayfd"
Xvfb -displayfd 3 -nolisten tcp -noreset -screen 0 1280x800x24 >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$tmp/displayfd" ] && break; sleep 0.1; done
display=":$(head -n1 "$tmp/displayfd")"

log="$tmp/install.log"
setsid env -u MIDDENWEG_HOME -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u QT_QPA_PLATFORM HOME="$tmp/home" \
  DISPLAY="$display" bash "$repo/packaging/install.sh" >"$log" 2>&1 &
app_pid=$!
started=""
for _ in $(seq 600); do
  if grep -q "No system tray\|running in the system tray" "$log"; then started=yes; break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then break; fi
  sleep 0.5
done
tail -n 20 "$log"
[ -n "$started" ] || { echo "install.sh did not start Middenweg"; exit 1; }
[ -x "$tmp/home/.local/bin/middenweg" ] || { echo "no ~/.local/bin/middenweg"; exit 1; }
"$tmp/home/.local/bin/middenweg" --version
entry="$tmp/home/.local/share/applications/nl.middenweg.Middenweg.desktop"
[ -f "$entry" ] || { echo "not in the application menu: no $entry"; exit 1; }
grep -q "^Exec=.*middenweg-app/venv/bin/middenweg" "$entry" || { echo "the menu entry does not start the install"; cat "$entry"; exit 1; }
desktop-file-validate "$entry"
[ -f "$tmp/home/.local/share/icons/hicolor/scalable/apps/middenweg.svg" ] || { echo "no icon"; exit 1; }
kill -TERM -- "-$app_pid"
wait "$app_pid" || true
app_pid=""
echo "README install command: ok"
