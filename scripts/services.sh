#!/usr/bin/env bash
# The one place that starts and stops the real parts imgbuild works against:
#   - a Docker Engine: the one DOCKER_HOST names if it answers, else our own on a private
#     socket (bridge off: containers get loopback only);
#   - an image registry on 127.0.0.1:$IMGBUILD_REGISTRY_PORT (no auth: the demo's registry);
#   - the local base images nothing can pull here: local/busybox:1, its arm64 variant
#     local/busybox:1-linux-arm64 (built under qemu emulation) and local/debian:12.
#
# Usage: services.sh start|stop|status|env
#   start   idempotent: reuses whatever already answers, starts only what is missing
#   stop    stops only what this script started (recorded in pid files), and waits for it
#   status  what answers, and who started it
#   env     prints `export DOCKER_HOST=...` and `export IMGBUILD_REGISTRY=...` (after start)
#
# Settings (environment):
#   IMGBUILD_STATE          state folder, default /tmp/imgbuild (keep it short: unix socket
#                           paths inside it may not exceed 107 bytes)
#   IMGBUILD_REGISTRY_PORT  registry port on 127.0.0.1, default 5000
#   IMGBUILD_CACHE          where the root filesystem tarballs are kept between runs,
#                           default /var/cache/imgbuild
#   IMGBUILD_BASE_IMAGES    which base images start makes, default "busybox busybox-arm64
#                           debian" (busybox-arm64 also registers qemu's binfmt handlers);
#                           also "toolchains" (local/toolchains:12, which the template tests
#                           ask for)
#   IMGBUILD_DEBIAN_MIRROR  debootstrap's mirror, default: the Debian URI in apt's sources
set -euo pipefail

STATE=${IMGBUILD_STATE:-/tmp/imgbuild}
CACHE=${IMGBUILD_CACHE:-/var/cache/imgbuild}
REGISTRY_PORT=${IMGBUILD_REGISTRY_PORT:-5000}
BASE_IMAGES=${IMGBUILD_BASE_IMAGES:-busybox busybox-arm64 debian}
# Debian's client: the /usr/local/bin/docker on PATH cannot drive the engine's BuildKit.
DOCKER=/usr/bin/docker
OUR_HOST="unix://$STATE/docker.sock"
# What the command line of a process we started must contain (see is_ours).
ENGINE_MARK="$STATE/docker.sock"
REGISTRY_MARK="$STATE/registry/config.yml"
REGISTRY="127.0.0.1:$REGISTRY_PORT"
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "services: $*" >&2; }
die() { say "error: $*"; exit 1; }

# ------------------------------------------------------------------------------------------
# Processes we own: a pid file per process, and a check that the pid is still that process.

# is_ours PIDFILE WORD: the pid in PIDFILE is alive and its command line mentions WORD (a pid
# reused by an unrelated process after a reboot must never be signalled).
is_ours() {
    local pidfile=$1 word=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$word"
}

# stop_pid PIDFILE WORD NAME: SIGTERM, wait up to 60 s, then SIGKILL; remove the pid file.
stop_pid() {
    local pidfile=$1 word=$2 name=$3 pid
    if ! is_ours "$pidfile" "$word"; then
        rm -f "$pidfile"
        return 0
    fi
    pid=$(<"$pidfile")
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 600); do
        [[ -e /proc/$pid ]] || break
        # A zombie has exited; only its parent can reap it.
        [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && break
        sleep 0.1
    done
    if [[ -e /proc/$pid ]] && [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]]; then
        say "$name did not stop in 60 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$pidfile"
}

# ------------------------------------------------------------------------------------------
# Engine

engine_answers() {
    DOCKER_HOST=$1 timeout 10 "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

check_socket_paths() {
    # containerd's socket lives inside the exec-root; the longest path it makes is this one.
    local longest="$STATE/x/containerd/containerd.sock.ttrpc"
    if [[ ${#longest} -gt 107 ]]; then
        die "IMGBUILD_STATE=$STATE is too long for unix sockets ($longest is ${#longest} bytes," \
            "at most 107); choose a shorter folder"
    fi
}

start_engine() {
    if [[ -n ${DOCKER_HOST:-} && $DOCKER_HOST != "$OUR_HOST" ]]; then
        if engine_answers "$DOCKER_HOST"; then
            say "engine: using DOCKER_HOST=$DOCKER_HOST"
            ENGINE_HOST=$DOCKER_HOST
            return
        fi
        say "engine: DOCKER_HOST=$DOCKER_HOST does not answer; using our own engine"
    fi
    ENGINE_HOST=$OUR_HOST
    if engine_answers "$OUR_HOST"; then
        say "engine: reusing $OUR_HOST"
        return
    fi
    if is_ours "$STATE/engine.pid" "$ENGINE_MARK"; then
        # Started earlier but not answering (yet): give it the usual start-up time.
        wait_for_engine "$(<"$STATE/engine.pid")" && return
        stop_pid "$STATE/engine.pid" "$ENGINE_MARK" "an engine that does not answer"
    fi
    command -v dockerd >/dev/null || die "dockerd not found; run scripts/install.sh"
    [[ $(id -u) -eq 0 ]] || die "starting dockerd needs root (or set DOCKER_HOST to an engine)"
    check_socket_paths
    mkdir -p "$STATE/root" "$STATE/x"
    rm -f "$STATE/docker.sock" "$STATE/dockerd.pid"
    say "engine: starting dockerd on $OUR_HOST"
    # setsid: Ctrl-C in the terminal that ran `make` must not kill the engine half-way;
    # `services.sh stop` stops it.
    setsid dockerd \
        --host "$OUR_HOST" \
        --data-root "$STATE/root" \
        --exec-root "$STATE/x" \
        --pidfile "$STATE/dockerd.pid" \
        --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
        </dev/null >"$STATE/dockerd.log" 2>&1 9>&- &
    echo $! >"$STATE/engine.pid"
    if ! wait_for_engine "$!"; then
        tail -n 20 "$STATE/dockerd.log" >&2
        stop_pid "$STATE/engine.pid" "$ENGINE_MARK" "the engine"
        die "the engine did not start; its log: $STATE/dockerd.log"
    fi
}

# wait_for_engine PID: up to 60 s for our socket to answer while PID lives.
wait_for_engine() {
    local pid=$1
    for _ in $(seq 120); do
        engine_answers "$OUR_HOST" && return 0
        [[ -e /proc/$pid ]] || return 1
        sleep 0.5
    done
    return 1
}

# ------------------------------------------------------------------------------------------
# Registry

# The HTTP status of GET /v2/ (000 when nothing answers).
registry_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$REGISTRY/v2/" || true
}

start_registry() {
    local status
    status=$(registry_status)
    if [[ $status == 200 ]]; then
        say "registry: reusing http://$REGISTRY"
        return
    fi
    if [[ $status != 000 ]]; then
        die "something else answers on $REGISTRY (GET /v2/ gave $status);" \
            "set IMGBUILD_REGISTRY_PORT to a free port"
    fi
    command -v docker-registry >/dev/null || die "docker-registry not found; run scripts/install.sh"
    stop_pid "$STATE/registry.pid" "$REGISTRY_MARK" "a registry that does not answer"
    mkdir -p "$STATE/registry/data"
    cat >"$STATE/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
    say "registry: starting on http://$REGISTRY"
    setsid docker-registry serve "$STATE/registry/config.yml" \
        </dev/null >"$STATE/registry.log" 2>&1 9>&- &
    echo $! >"$STATE/registry.pid"
    for _ in $(seq 100); do
        [[ $(registry_status) == 200 ]] && return 0
        is_ours "$STATE/registry.pid" "$REGISTRY_MARK" || break
        sleep 0.1
    done
    tail -n 20 "$STATE/registry.log" >&2
    stop_pid "$STATE/registry.pid" "$REGISTRY_MARK" "the registry"
    die "the registry did not start on $REGISTRY; its log: $STATE/registry.log"
}

# ------------------------------------------------------------------------------------------
# Base images, made locally: nothing can be pulled on these machines.

has_image() {
    DOCKER_HOST=$ENGINE_HOST "$DOCKER" image inspect "$1" >/dev/null 2>&1
}

import_image() {  # import_image NAME CMD [CHANGE...] < tar stream
    local name=$1 cmd=$2 change changes=()
    shift 2
    for change in "$@"; do
        changes+=(--change "$change")
    done
    DOCKER_HOST=$ENGINE_HOST "$DOCKER" import \
        --change "ENV PATH=$DEFAULT_PATH" \
        --change "CMD $cmd" \
        "${changes[@]}" \
        - "$name" >/dev/null
}

# busybox_rootfs BINARY DIR: a busybox userland in DIR around BINARY (applets as symlinks).
busybox_rootfs() {
    local binary=$1 rootfs=$2 applet
    mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/root" "$rootfs/tmp" "$rootfs/home"
    cp "$binary" "$rootfs/bin/busybox"
    # The host's busybox lists the applets: Debian builds every architecture from one source.
    while read -r applet; do
        [[ $applet == bin/busybox ]] && continue
        mkdir -p "$rootfs/$(dirname "$applet")"
        ln -sf /bin/busybox "$rootfs/$applet"
    done < <(/bin/busybox --list-full)
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
    chmod 1777 "$rootfs/tmp"
    chmod 700 "$rootfs/root"
}

ensure_busybox() {
    local name=local/busybox:1 rootfs
    if has_image "$name"; then
        return
    fi
    [[ -x /bin/busybox ]] || die "/bin/busybox not found; run scripts/install.sh"
    say "image: making $name from /bin/busybox"
    rootfs=$(mktemp -d "$STATE/busybox.XXXXXX")
    busybox_rootfs /bin/busybox "$rootfs"
    tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . | import_image "$name" '["/bin/sh"]'
    rm -rf "$rootfs"
}

# The kernel runs other architectures' binaries through qemu's binfmt handlers; they are lost
# at reboot and absent where binfmt_misc is not mounted (a container's /proc).
ensure_emulation() {
    local binfmt=/proc/sys/fs/binfmt_misc
    if grep -qs '^flags: .*F' "$binfmt/qemu-aarch64"; then
        return
    fi
    [[ $(id -u) -eq 0 ]] || die "registering qemu's binfmt handlers needs root"
    command -v update-binfmts >/dev/null || die "update-binfmts not found; run scripts/install.sh"
    if [[ ! -e $binfmt/register ]]; then
        mount -t binfmt_misc binfmt_misc "$binfmt" || die "cannot mount $binfmt"
    fi
    update-binfmts --enable >/dev/null 2>&1 || true
    grep -qs '^flags: .*F' "$binfmt/qemu-aarch64" \
        || die "qemu-aarch64 is not registered in $binfmt with the F flag; run scripts/install.sh"
    say "emulation: qemu binfmt handlers registered"
}

# The arm64 variant of local/busybox:1, under the per-platform tag imgbuild reads a base's
# variant from (see builder/platforms.py). Made with BuildKit FROM scratch, which writes the
# architecture into the image config (`docker import --platform` does not, on this engine).
ensure_busybox_arm64() {
    local name=local/busybox:1-linux-arm64 deb="$CACHE/busybox-static_arm64.deb" work
    if has_image "$name"; then
        return
    fi
    ensure_emulation
    if [[ ! -s $deb ]]; then
        mkdir -p "$CACHE"
        work=$(mktemp -d "$STATE/download.XXXXXX")
        (cd "$work" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1) \
            || die "cannot download busybox-static:arm64; run scripts/install.sh"
        mv "$work"/busybox-static_*_arm64.deb "$deb"
        rm -rf "$work"
    fi
    say "image: making $name from Debian's arm64 busybox-static"
    work=$(mktemp -d "$STATE/busybox-arm64.XXXXXX")
    dpkg-deb -x "$deb" "$work/deb"
    busybox_rootfs "$work/deb/bin/busybox" "$work/rootfs"
    printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=%s\nCMD ["/bin/sh"]\n' "$DEFAULT_PATH" \
        >"$work/Dockerfile"
    if ! DOCKER_HOST=$ENGINE_HOST DOCKER_BUILDKIT=1 "$DOCKER" build -q --platform linux/arm64 \
            --network=none -t "$name" "$work" >"$STATE/busybox-arm64.log" 2>&1; then
        tail -n 20 "$STATE/busybox-arm64.log" >&2
        die "building $name failed; its log: $STATE/busybox-arm64.log"
    fi
    rm -rf "$work"
}

debian_mirror() {
    local uri
    if [[ -n ${IMGBUILD_DEBIAN_MIRROR:-} ]]; then
        echo "$IMGBUILD_DEBIAN_MIRROR"
        return
    fi
    # deb822 sources first (Debian 12's default), then one-line sources.
    uri=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -E '/debian/?$' | head -n 1 || true)
    if [[ -z $uri ]]; then
        uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                2>/dev/null | awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2}' | head -n 1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# debian_tarball: the path of Debian 12 with python3 as a root filesystem tarball, made by
# debootstrap the first time and kept in $CACHE.
debian_tarball() {
    local tarball="$CACHE/debian-12-python3.tar" rootfs mirror
    if [[ ! -s $tarball ]]; then
        command -v debootstrap >/dev/null || die "debootstrap not found; run scripts/install.sh"
        mkdir -p "$CACHE"
        mirror=$(debian_mirror)
        rootfs="$CACHE/debian-12.rootfs"
        rm -rf "$rootfs"
        say "image: debootstrap of Debian 12 with python3 from $mirror (about a minute," \
            "once; the result is cached in $tarball)"
        if ! debootstrap --variant=minbase --include=python3 bookworm "$rootfs" "$mirror" \
                >"$STATE/debootstrap.log" 2>&1; then
            tail -n 20 "$STATE/debootstrap.log" >&2
            rm -rf "$rootfs"
            die "debootstrap failed; its log: $STATE/debootstrap.log"
        fi
        # Package lists and caches are stale the moment the image is made: leave them out.
        rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log
        tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" .
        mv "$tarball.partial" "$tarball"
        rm -rf "$rootfs"
    fi
    echo "$tarball"
}

ensure_debian() {
    local name=local/debian:12 tarball
    if has_image "$name"; then
        return
    fi
    tarball=$(debian_tarball)
    say "image: importing $name from $tarball"
    import_image "$name" '["/bin/bash"]' <"$tarball"
}

# The toolchains the built-in templates' examples are built with in the tests: Node.js with npm
# and yarn 1 (yarnpkg), Go, a JDK with Maven and the plugins a jar's lifecycle (and
# dependency:go-offline) runs, nginx and wget for static sites, python3-venv for pip. One image
# over Debian 12 for all of them: one apt run is cheaper than a debootstrap each. Only made
# when IMGBUILD_BASE_IMAGES asks for it.
TOOLCHAIN_PACKAGES="python3-venv nodejs npm golang-go default-jdk-headless maven
    libmaven-clean-plugin-java libmaven-resources-plugin-java libmaven-compiler-plugin-java
    libsurefire-java libmaven-jar-plugin-java libmaven-install-plugin-java
    libmaven-deploy-plugin-java libmaven-site-plugin-java libmaven-dependency-plugin-java
    yarnpkg nginx wget"

# toolchains_tarball KEY: the path of Debian 12 with the toolchains, keyed by the package list;
# apt-get runs in a chroot of the Debian tarball the first time (a debootstrap --include cannot
# resolve the virtual packages npm depends on).
toolchains_tarball() {
    local tarball="$CACHE/debian-12-toolchains-$1.tar" debian rootfs status=0
    if [[ -s $tarball ]]; then
        echo "$tarball"
        return
    fi
    debian=$(debian_tarball)
    rootfs="$CACHE/toolchains.rootfs"
    rm -rf "$rootfs"
    mkdir -p "$rootfs"
    say "image: installing the toolchains on Debian 12 (a few minutes, once; the result is" \
        "cached in $tarball)"
    tar -C "$rootfs" -xf "$debian"
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    # No service starts inside the chroot (nginx would), as in install.sh.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    # The JDK's set-up runs java, which finds its libraries through /proc/self/exe.
    mount -t proc proc "$rootfs/proc"
    # shellcheck disable=SC2016,SC2086 # "$@" is the inner shell's; the list is split on purpose
    chroot "$rootfs" /bin/sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$@"' sh $TOOLCHAIN_PACKAGES \
        </dev/null >"$STATE/toolchains.log" 2>&1 || status=$?
    umount "$rootfs/proc"
    if [[ $status -ne 0 ]]; then
        tail -n 20 "$STATE/toolchains.log" >&2
        rm -rf "$rootfs"
        die "apt-get in the toolchains root filesystem failed; its log: $STATE/toolchains.log"
    fi
    rm -f "$rootfs/usr/sbin/policy-rc.d"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
    tar --numeric-owner -C "$rootfs" -cf "$tarball.partial" .
    # A tarball of another package list will not be used again: 1.2 GB each.
    find "$CACHE" -maxdepth 1 -name 'debian-12-toolchains-*.tar' -delete
    mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs"
    echo "$tarball"
}

ensure_toolchains() {
    local name=local/toolchains:12 key tarball
    # shellcheck disable=SC2086 # unquoted: the key ignores how the list is wrapped
    key=$(echo $TOOLCHAIN_PACKAGES | sha256sum | cut -c1-12)
    # The tag stays; the label says which package list the image holds.
    if [[ $(DOCKER_HOST=$ENGINE_HOST "$DOCKER" image inspect "$name" \
            --format '{{ index .Config.Labels "io.imgbuild.packages" }}' 2>/dev/null) == "$key" ]]
    then
        return
    fi
    tarball=$(toolchains_tarball "$key")
    say "image: importing $name from $tarball"
    import_image "$name" '["/bin/bash"]' "LABEL io.imgbuild.packages=$key" <"$tarball"
}

# ------------------------------------------------------------------------------------------
# Commands

write_env() {
    printf 'export DOCKER_HOST=%s\nexport IMGBUILD_REGISTRY=%s\n' "$ENGINE_HOST" "$REGISTRY" \
        >"$STATE/env"
}

cmd_start() {
    local image
    start_engine
    start_registry
    for image in $BASE_IMAGES; do
        case $image in
            busybox) ensure_busybox ;;
            busybox-arm64) ensure_busybox_arm64 ;;
            debian) ensure_debian ;;
            toolchains) ensure_toolchains ;;
            *) die "IMGBUILD_BASE_IMAGES: unknown image $image" \
                   "(known: busybox busybox-arm64 debian toolchains)" ;;
        esac
    done
    write_env
    say "ready: DOCKER_HOST=$ENGINE_HOST IMGBUILD_REGISTRY=$REGISTRY"
}

cmd_stop() {
    stop_pid "$STATE/registry.pid" "$REGISTRY_MARK" "the registry"
    if [[ -s $STATE/engine.pid ]]; then
        stop_pid "$STATE/engine.pid" "$ENGINE_MARK" "the engine"
        unmount_leftovers
    fi
    rm -f "$STATE/env"
}

# dockerd leaves its network namespace mounted in the exec-root (netns/default) after it
# exits; unmount what is left under our own engine's folders so they can be removed.
unmount_leftovers() {
    local mountpoint
    awk -v x="$STATE/x" -v root="$STATE/root" '
        $2 == x || index($2, x "/") == 1 || $2 == root || index($2, root "/") == 1 {print $2}
    ' /proc/mounts | sort -r | while read -r mountpoint; do
        umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" || true
    done
}

describe() {  # describe PIDFILE WORD: who started it
    if is_ours "$1" "$2"; then
        echo "started by services.sh, pid $(<"$1")"
    else
        echo "not started by services.sh"
    fi
}

cmd_status() {
    local host=${DOCKER_HOST:-$OUR_HOST} image
    if [[ -s $STATE/env ]]; then
        host=$(sed -n 's/^export DOCKER_HOST=//p' "$STATE/env")
    fi
    if engine_answers "$host"; then
        echo "engine:   $host answers ($(describe "$STATE/engine.pid" "$ENGINE_MARK"))"
        for image in local/busybox:1 local/busybox:1-linux-arm64 local/debian:12; do
            if DOCKER_HOST=$host "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
                echo "image:    $image present"
            else
                echo "image:    $image missing"
            fi
        done
    else
        echo "engine:   $host does not answer"
    fi
    if [[ $(registry_status) == 200 ]]; then
        echo "registry: http://$REGISTRY answers ($(describe "$STATE/registry.pid" "$REGISTRY_MARK"))"
    else
        echo "registry: http://$REGISTRY does not answer"
    fi
}

cmd_env() {
    [[ -s $STATE/env ]] || die "not started; run: scripts/services.sh start"
    cat "$STATE/env"
}

main() {
    local command=${1:-}
    case $command in
        start | stop | status | env) ;;
        *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
    esac
    mkdir -p "$STATE"
    if [[ $command == start || $command == stop ]]; then
        # Two `make` runs at once must not both start an engine on the same socket.
        exec 9>"$STATE/lock"
        flock -w 900 9 || die "another services.sh holds $STATE/lock"
    fi
    "cmd_$command"
}

main "$@"
