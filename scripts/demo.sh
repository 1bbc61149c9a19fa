#!/usr/bin/env bash
# The demo (`make demo`, after the set-up): in sample_projects/shop, show the image graph,
# build it (writing the HTML report of that build to .imgbuild/demo-report.html), build it
# again (nothing to do), run the API and ask it for /health on loopback, then publish to the
# local registry and show the registry's catalog and the two-platform index of shop/web.
# Exits non-zero as soon as a step fails, naming the step, its exit status and the line.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
IMGBUILD=$REPO/.venv/bin/imgbuild
PYTHON=$REPO/.venv/bin/python
DOCKER=/usr/bin/docker  # Debian's client, as scripts/services.sh uses
SHOP=$REPO/sample_projects/shop
REPORT=$REPO/.imgbuild/demo-report.html  # kept after the demo: open it in a browser

current_step="the set-up"
step() {
    current_step=$1
    printf '\n\033[1m==> %s\033[0m\n' "$*"
}
die() { echo "demo: error: $*" >&2; exit 1; }
failed() {
    local status=$?
    echo "demo: error: $current_step failed (exit $status, scripts/demo.sh line $1)" >&2
    exit "$status"
}
trap 'failed $LINENO' ERR

[[ -x $IMGBUILD ]] || die "$IMGBUILD not found; run make demo (it installs the package)"
env_lines=$("$REPO/scripts/services.sh" env) || die "the services are not running; run make demo"
eval "$env_lines"
echo "$env_lines"
work=$(mktemp -d /tmp/imgbuild-demo.XXXXXX)
container=
cleanup() {
    if [[ -n $container ]]; then
        "$DOCKER" rm -f "$container" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
cd "$SHOP"

step "imgbuild graph" "  (edges inferred from FROM and COPY --from, plus one depends_on)"
"$IMGBUILD" graph

step "imgbuild build" "  (dependency order; web builds beside the base chain)"
"$IMGBUILD" build --report "$REPORT"
echo "the report of this build: $REPORT (one file, no network: open it in a browser)"

step "imgbuild build again" "  (nothing changed, so every image is skipped)"
"$IMGBUILD" build --metadata-file "$work/again.json"
"$PYTHON" - "$work/again.json" <<'EOF'
import json, sys
statuses = {name: image["status"] for name, image in json.load(open(sys.argv[1]))["images"].items()}
rebuilt = sorted(name for name, status in statuses.items() if status != "skipped")
if rebuilt:
    sys.exit(f"demo: error: the second build did work for {', '.join(rebuilt)}: {statuses}")
print(f"all {len(statuses)} images skipped")
EOF

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "docker run shop/api:dev" "  (--network host, PORT=$port, loopback only)"
container=$("$DOCKER" run -d --network host -e PORT="$port" shop/api:dev)
answer=
for _ in $(seq 100); do
    if answer=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null); then
        break
    fi
    sleep 0.1
done
if [[ -z $answer ]]; then
    "$DOCKER" logs "$container" >&2 || true
    die "the API did not answer on http://127.0.0.1:$port/health"
fi
echo "GET http://127.0.0.1:$port/health -> $answer"
"$DOCKER" rm -f "$container" >/dev/null
container=

step "imgbuild publish" "--registry $IMGBUILD_REGISTRY  (every tag of every image)"
"$IMGBUILD" publish --registry "$IMGBUILD_REGISTRY" --metadata-file "$work/published.json"
step "the registry's catalog" "  (GET http://$IMGBUILD_REGISTRY/v2/_catalog, the shop's repositories)"
# The registry may hold other work's repositories (tests, benchmarks): list the shop's
# (the catalog is sorted; `last` starts it just before them).
curl -fsS "http://$IMGBUILD_REGISTRY/v2/_catalog?n=1000&last=shop" | "$PYTHON" -c '
import json, sys
shop = [name for name in json.load(sys.stdin)["repositories"] if name.startswith("shop/")]
if not shop:
    sys.exit("demo: error: the registry lists no shop/ repository after the publish")
print("\n".join(f"  {name}" for name in shop))'

step "shop/web in the registry" "  (one OCI index: linux/amd64 and linux/arm64)"
web_digest=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["images"]["web"]["digest"])' \
    "$work/published.json")
curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$IMGBUILD_REGISTRY/v2/shop/web/manifests/$web_digest" >"$work/web-index.json"
"$PYTHON" - "$work/web-index.json" <<'EOF'
import json, sys
index = json.load(open(sys.argv[1]))
platforms = [f"{m['platform']['os']}/{m['platform']['architecture']}" for m in index.get("manifests", [])]
if sorted(platforms) != ["linux/amd64", "linux/arm64"]:
    sys.exit(f"demo: error: shop/web is not an index of amd64 and arm64: {index}")
for entry in index["manifests"]:
    platform = entry["platform"]
    print(f"  {platform['os']}/{platform['architecture']}: {entry['digest']}")
EOF

step "demo done" "  (the report of the first build: $REPORT)"
