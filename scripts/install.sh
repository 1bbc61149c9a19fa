#!/usr/bin/env bash
# Install the system packages imgbuild's set-up needs on Debian 12 (run as root).
#
# Idempotent and quiet: when every package is already there it prints nothing and touches
# nothing; otherwise it runs `apt-get update` once and installs only what is missing.
set -euo pipefail

# docker.io: the engine (dockerd) and Debian's client /usr/bin/docker, which can drive the
#   engine's BuildKit; docker-registry: the registry on loopback; apache2-utils: htpasswd for
#   the auth registry of the tests; gnome-keyring + dbus: a real Secret Service for keyring
#   tests; debootstrap: the local Debian base image; busybox-static: the local busybox image;
#   openssl: the certificates of the TLS engine tests; curl: the demo's health check.
# graphviz: `dot`, which draws `imgbuild graph --format svg|png` and the graph of the HTML
#   report; chromium: the headless browser the report's tests load it in.
# qemu-user-static + binfmt-support: other architectures' binaries run under emulation (the
#   handlers are registered with the fix-binary flag, so they work inside containers), for
#   multi-platform builds; skopeo: the tests read published indexes with it as a user would.
# `make check` needs none of these: its tools (shellcheck too) are pinned dev dependencies.
PACKAGES=(docker.io docker-registry apache2-utils gnome-keyring dbus debootstrap
          busybox-static openssl curl ca-certificates
          graphviz chromium qemu-user-static binfmt-support skopeo)

missing=()
for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [[ $status != installed ]]; then
        missing+=("$package")
    fi
done
# A virtual environment needs ensurepip; Debian's own python3 ships it separately.
if ! python3 -c 'import ensurepip' 2>/dev/null; then
    missing+=(python3-venv)
fi
# The arm64 busybox the multi-platform tests and the demo build on comes from Debian's arm64
# archive (services.sh downloads it): apt must know that architecture.
foreign_arm64=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    foreign_arm64=1
fi
if [[ ${#missing[@]} -eq 0 && $foreign_arm64 -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "install.sh: missing packages: ${missing[*]}; run as root (or install them)" >&2
    exit 1
fi

# The packages would start their services (dockerd on the default socket, a registry on
# 0.0.0.0:5000) where an init system lets them. imgbuild starts its own on loopback, so deny
# service starts for the duration of the install, as Debian's policy-rc.d convention allows.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
fi
remove_policy() {
    if [[ $created_policy -eq 1 ]]; then
        rm -f "$policy"
    fi
}
trap remove_policy EXIT

if [[ $foreign_arm64 -eq 1 ]]; then
    dpkg --add-architecture arm64
fi
echo "install.sh: installing ${missing[*]:-the arm64 package lists}" >&2
log=$(mktemp /tmp/imgbuild-apt.XXXXXX)
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && { [[ ${#missing[@]} -eq 0 ]] \
        || apt-get install -y -q "${missing[@]}"; }; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "install.sh: apt-get failed; full log in $log" >&2
    exit 1
fi
rm -f "$log"
echo "install.sh: installed ${missing[*]:-the arm64 package lists}" >&2
