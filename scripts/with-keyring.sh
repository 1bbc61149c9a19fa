#!/usr/bin/env bash
# Run a command where Python's `keyring` finds a real Secret Service.
#
# Usage: with-keyring.sh CMD [ARG...]
# Inside a session bus that already has a Secret Service (a desktop session), CMD just runs.
# Otherwise CMD runs inside a private `dbus-run-session` with a gnome-keyring-daemon whose
# keyring lives in a throwaway folder, unlocked with a throwaway password: nothing CMD stores
# there outlives it, and the user's own keyring is never touched. Exits with CMD's status.
# (dbus-daemon may print "Failed to set fd limit to 65536" where raising limits is not
# allowed: harmless.)
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

has_secret_service() {
    [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] || return 1
    # NameHasOwner, not an activatable name: an auto-started daemon would be locked.
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
        | grep -q true
}

if has_secret_service; then
    exec "$@"
fi

if [[ -z ${IMGBUILD_KEYRING_SESSION:-} ]]; then
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        command -v "$tool" >/dev/null || {
            echo "with-keyring.sh: $tool not found; run scripts/install.sh" >&2
            exit 1
        }
    done
    # Re-run this script inside a new session bus; the marker stops a second round.
    exec dbus-run-session -- env IMGBUILD_KEYRING_SESSION=1 "$0" "$@"
fi

home=$(mktemp -d /tmp/imgbuild-keyring.XXXXXX)
password=$(head -c 24 /dev/urandom | base64)
# The daemon keeps its keyring files (XDG_DATA_HOME) and control socket (XDG_RUNTIME_DIR) in
# the throwaway folder; --unlock reads the password from stdin and creates the login keyring.
printf '%s' "$password" \
    | XDG_DATA_HOME=$home XDG_RUNTIME_DIR=$home \
      gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$home/daemon.log" 2>&1 &
daemon=$!
unset password

# shellcheck disable=SC2317,SC2329  # run by the EXIT trap
cleanup() {
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT

for _ in $(seq 100); do
    has_secret_service && break
    if ! kill -0 "$daemon" 2>/dev/null; then
        cat "$home/daemon.log" >&2
        echo "with-keyring.sh: gnome-keyring-daemon exited" >&2
        exit 1
    fi
    sleep 0.1
done
has_secret_service || { echo "with-keyring.sh: no Secret Service after 10 s" >&2; exit 1; }

status=0
"$@" || status=$?
exit "$status"
