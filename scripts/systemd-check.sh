#!/usr/bin/env bash
# scripts/systemd-check.sh — what `make systemd-check` runs.
#
# Tests the installed digitd under a real systemd: `make install` (scripts/install.sh)
# into a staging rootfs, then ../shared/tools/systemd-sandbox.sh boots a throwaway
# Debian 12 container (systemd-nspawn) holding only the runtime C libraries — no Swift
# toolchain — and runs the unit's lifecycle: systemd-analyze verify + security, start
# (READY=1), status, scripts/systemd-sandbox-check.sh inside the container (scans
# classified, bad files failed with a reason, modes, digitctl status, reload), watchdog
# pings, watchdog firing on SIGSTOP and Restart= bringing it back, stop (SIGTERM,
# exit 0), journal. Then once more with the metrics drop-in (systemd/digitd-metrics.conf)
# and metrics.listen set: GET /metrics over TCP (scripts/systemd-sandbox-metrics-check.sh).
#
# Hostile scans (scripts/make_hostile_scans.py) go into the first run: a stray pen dot and
# a text-chunk bomb, which once took digitd down, and a poison pill. The build here is
# `make install`'s with one difference: the test-only fault switch is compiled in
# (-DDIGITD_FAULT_INJECTION, scratch .build-systemd-check), and a drop-in sets
# DIGITD_FAULT_ON=poison-pill, so systemd's own Restart= meets a file that really kills
# digitd: it must be retried once, then quarantined, with no restart loop.
#
# Needs root and ../shared/tools/systemd-sandbox.sh (which installs systemd-container
# and debootstrap if missing). The first run builds the base rootfs (a few minutes,
# cached in /tmp/systemd-sandbox) and the static release build (.build-install).
#
# Environment: SANDBOX (path of systemd-sandbox.sh), MODEL (default
# models/seedcnn.digitd-model), NO_BUILD=1 (use .build-systemd-check as it is), KEEP=1 (leave
# the container running), OPTIONAL=1 (CI: when this machine cannot run the sandbox —
# not root, no ../shared, no nspawn, no Debian mirror — print SKIP and exit 0; failures
# of digitd itself still fail).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

SANDBOX=${SANDBOX:-$REPO/../shared/tools/systemd-sandbox.sh}
OPTIONAL=${OPTIONAL:-0}
# Runtime libraries of the static binaries (see README, "Installing"); the sandbox's
# ldd check fails if one is missing.
RUNTIME_PACKAGES=libpng16-16,libjpeg62-turbo,libopenblas0,libopenblas0-pthread,zlib1g,libstdc++6,libgcc-s1,libsystemd0,libsqlite3-0

cannot() {
    if [ "$OPTIONAL" = 1 ]; then echo "systemd-check: SKIP (this machine cannot run the systemd sandbox): $*"; exit 0; fi
    echo "systemd-check: cannot run: $*" >&2; exit 2
}
[ "$(id -u)" = 0 ] || cannot "needs root (systemd-nspawn)"
MODEL=${MODEL:-models/seedcnn.digitd-model}
# A missing shipped model is reported by `make test` (ShippedModelTests); here it only means nothing to install.
[ -f "$MODEL" ] || cannot "no model at $MODEL to install (set MODEL=FILE)"
export MODEL
[ -x "$SANDBOX" ] || [ -f "$SANDBOX" ] || cannot "no $SANDBOX"
if ! command -v systemd-nspawn >/dev/null || ! command -v debootstrap >/dev/null; then
    command -v apt-get >/dev/null || cannot "no systemd-nspawn/debootstrap and no apt-get"
    echo "systemd-check: installing systemd-container debootstrap"
    { apt-get install -y -qq systemd-container debootstrap >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq systemd-container debootstrap >/dev/null 2>&1; }; } ||
        cannot "could not install systemd-container and debootstrap"
fi

# Without a cached base rootfs the sandbox runs debootstrap: check the mirror answers
# before spending minutes on the release build.
base_hash=$(printf '%s' "systemd,systemd-sysv,dbus,$RUNTIME_PACKAGES" | md5sum | cut -c1-8)
if [ ! -e "${BASE_DIR:-/tmp/systemd-sandbox}/base-bookworm-$base_hash/.sandbox-ready" ]; then
    mirror=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
    mirror=${mirror:-$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)}
    host=$(sed -E 's#^[a-z]+://([^/:]+).*#\1#' <<<"$mirror")
    port=$([[ $mirror == https:* ]] && echo 443 || echo 80)
    if [[ $mirror == http* ]] && ! timeout 10 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
        cannot "the Debian mirror $mirror does not answer (needed once to debootstrap the container)"
    fi
fi

STAGE=$(mktemp -d /tmp/digitd-systemd-check.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
T0=$(date +%s)

# `make install` into the container's rootfs, as a package build would (DESTDIR), with
# the fault switch compiled in (see the header).
PREFIX=/usr/local DESTDIR="$STAGE/rootfs" SCRATCH=.build-systemd-check \
    SWIFT_BUILD_FLAGS="-Xswiftc -DDIGITD_FAULT_INJECTION" scripts/install.sh
# The sandbox wants the unit and the ExecStart= binary at the top of its DIR.
mv "$STAGE/rootfs/usr/local/lib/systemd/system/digitd.service" "$STAGE/digitd.service"
cp "$STAGE/rootfs/usr/local/bin/digitd" "$STAGE/digitd"
install -d "$STAGE/rootfs/srv/digitd-samples"
cp samples/*.png samples/*.jpg "$STAGE/rootfs/srv/digitd-samples/"
install -m 755 scripts/systemd-sandbox-check.sh "$STAGE/sandbox-check.sh"
python3 scripts/make_hostile_scans.py "$STAGE/rootfs/srv/digitd-hostile"
# A scan that needs ~150 MB to decode (40-megapixel progressive JPEG), for the MemoryMax check.
command -v cjpeg >/dev/null || apt-get install -y -qq libjpeg-turbo-progs >/dev/null 2>&1 || cannot "could not install libjpeg-turbo-progs (cjpeg)"
python3 scripts/make_hostile_scans.py --ppm-40mp | cjpeg -progressive -quality 90 > "$STAGE/rootfs/srv/digitd-hostile/big-progressive.jpg"
install -d "$STAGE/digitd.service.d"
printf '[Service]\nEnvironment=DIGITD_FAULT_ON=poison-pill\n' > "$STAGE/digitd.service.d/fault.conf"
echo "systemd-check: staged $STAGE in $(( $(date +%s) - T0 ))s"

set +e
EXTRA_PACKAGES=$RUNTIME_PACKAGES bash "$SANDBOX" "$STAGE"
rc=$?
# Second run: README "Metrics" as an operator follows it (the drop-in, metrics.listen
# uncommented); /metrics must answer over TCP.
if [ $rc = 0 ]; then
    echo "systemd-check: again with systemd/digitd-metrics.conf and metrics.listen"
    rm "$STAGE/digitd.service.d/fault.conf"
    install -D -m 644 systemd/digitd-metrics.conf "$STAGE/digitd.service.d/metrics.conf"
    sed -i 's|^#listen = "127.0.0.1:9464"|listen = "127.0.0.1:9464"|' "$STAGE/rootfs/etc/digitd/digitd.toml"
    install -m 755 scripts/systemd-sandbox-metrics-check.sh "$STAGE/sandbox-check.sh"
    WATCHDOG_TEST=0 EXTRA_PACKAGES=$RUNTIME_PACKAGES bash "$SANDBOX" "$STAGE"
    rc=$?
fi
set -e
# The sandbox exits 2 when it cannot set up (debootstrap, nspawn, boot), 1 on failed checks.
if [ $rc = 2 ]; then cannot "systemd-sandbox.sh could not set up the container (exit 2, see above)"; fi
echo "systemd-check: $([ $rc = 0 ] && echo PASS || echo FAIL) in $(( $(date +%s) - T0 ))s"
exit $rc
