#!/usr/bin/env bash
# Installs the Debian packages digitd builds against, when any is missing; with --test,
# also the tools only the tests use (bindfs: a filesystem without RENAME_NOREPLACE, as
# NFS and CIFS; chromium and chromium-driver: the review station in a real browser). Idempotent and quiet when everything is there; uses sudo when not root.
set -euo pipefail

# pkg-config module -> Debian package
declare -A needed=(
    [libpng16]=libpng-dev
    [libjpeg]=libjpeg-dev
    [zlib]=zlib1g-dev
    [openblas]=libopenblas-dev
    [libsystemd]=libsystemd-dev
    [sqlite3]=libsqlite3-dev
)
missing=()
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ "${1:-}" = --test ]; then
    command -v bindfs >/dev/null || missing+=(bindfs)
    # The review station's browser tests: a real headless Chromium through chromedriver.
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
for module in "${!needed[@]}"; do
    pkg-config --exists "$module" 2>/dev/null || missing+=("${needed[$module]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
