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
# `make check` needs none of these: its tools (shellcheck too) are pinned dev dependencies.
PACKAGES=(docker.io docker-registry apache2-utils gnome-keyring dbus debootstrap
          busybox-static openssl curl ca-certificates
          graphviz chromium)

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
if [[ ${#missing[@]} -eq 0 ]]; then
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

echo "install.sh: installing ${missing[*]}" >&2
log=$(mktemp /tmp/imgbuild-apt.XXXXXX)
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q "${missing[@]}"; } \
        >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "install.sh: apt-get failed; full log in $log" >&2
    exit 1
fi
rm -f "$log"
echo "install.sh: installed ${missing[*]}" >&2
