#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The test harness: runs a command with the services the tests use for real.
# Run it inside a private session bus:
#
#   dbus-run-session -- build-aux/test-session.sh meson test -C _build
#
# It gives the command
#   - a gnome-keyring-daemon, unlocked, serving org.freedesktop.secrets on
#     this bus, with its files in a temporary HOME so the user's real
#     keyring is never touched;
#   - an Xvfb display (a free display number, 1280x800x24, no TCP);
#   - CP_TEST_HARNESS=1, which tells the tests that these services are
#     supposed to be there: a test that needs one fails instead of skipping.
# Everything it started is stopped when the command ends.

set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: dbus-run-session -- $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "test-session: no session bus; run me as: dbus-run-session -- $0 $*" >&2
  exit 1
fi

session_dir="$(mktemp -d "${TMPDIR:-/tmp}/counterpart-test-session.XXXXXX")"
xvfb_pid=""
keyring_pid=""

cleanup () {
  # Only what this script started, by its id.
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [ -n "$keyring_pid" ]; then
    kill "$keyring_pid" 2>/dev/null || true
  fi
  # The document portal (started by the bus when an app asks a portal)
  # mounts a FUSE file system in our runtime dir; detach it so the folder
  # can go. The portal itself ends with the bus.
  if [ -d "$session_dir/runtime/doc" ]; then
    fusermount3 -u -z "$session_dir/runtime/doc" 2>/dev/null \
      || fusermount -u -z "$session_dir/runtime/doc" 2>/dev/null || true
  fi
  rm -rf "$session_dir" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private home: the keyring, caches and any per-user file the tests or
# GTK write land here and vanish with it.
export HOME="$session_dir/home"
export XDG_RUNTIME_DIR="$session_dir/runtime"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"

name_has_owner () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

# --- The Secret Service ----------------------------------------------------
# The password comes on stdin; --unlock creates the login keyring with it.
keyring_env="$(printf 'test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
while IFS= read -r line; do
  case "$line" in
    *=*) export "${line?}" ;;
  esac
done <<< "$keyring_env"

for _ in $(seq 1 50); do
  name_has_owner org.freedesktop.secrets && break
  sleep 0.1
done
if ! name_has_owner org.freedesktop.secrets; then
  echo "test-session: gnome-keyring-daemon did not take org.freedesktop.secrets on the session bus" >&2
  exit 1
fi
keyring_pid="$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets \
  | sed -e 's/[^0-9]//g')"
echo "test-session: Secret Service up (gnome-keyring-daemon, pid $keyring_pid)"

# --- The display -------------------------------------------------------------
# -displayfd makes Xvfb choose a free display number itself and write it to
# the given descriptor once it accepts connections, so there is no race
# with other X servers on this machine.
display_file="$session_dir/display"
exec 3>"$display_file"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$session_dir/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for _ in $(seq 1 100); do
  [ -s "$display_file" ] && break
  if ! kill -0 "$xvfb_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ ! -s "$display_file" ]; then
  echo "test-session: Xvfb did not start:" >&2
  cat "$session_dir/xvfb.log" >&2 || true
  exit 1
fi
export DISPLAY=":$(tr -dc '0-9' < "$display_file")"
echo "test-session: Xvfb up on $DISPLAY (pid $xvfb_pid)"
unset WAYLAND_DISPLAY

# --- What the tests see --------------------------------------------------------
export CP_TEST_HARNESS=1
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
# No accessibility bus runs in this private session; GTK would ask for it.
export GTK_A11Y=none
export NO_AT_BRIDGE=1

# Services the bus starts on demand (the portals, dconf) must see the same
# private home and display, not the environment dbus-run-session began with.
if command -v dbus-update-activation-environment >/dev/null 2>&1; then
  dbus-update-activation-environment HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_DATA_HOME \
    XDG_CACHE_HOME DISPLAY GDK_BACKEND GSK_RENDERER GTK_A11Y NO_AT_BRIDGE
fi

status=0
"$@" || status=$?
exit "$status"
