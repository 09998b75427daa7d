#!/usr/bin/env bash
# scripts/install.sh — what `make install` runs.
#
# Builds digitd and digitctl in release with the Swift standard library, Foundation
# and Dispatch linked statically, checks with ldd that the binaries need no Swift
# runtime .so (only Debian C libraries, listed at the end), and installs:
#
#   $DESTDIR$PREFIX/bin/digitd, digitctl
#   $DESTDIR$PREFIX/share/digitd/models/seedcnn.digitd-model   (found by ShippedModel.locate())
#   $DESTDIR$PREFIX/share/digitd/models/anchor/                 (the anchor set fine-tunes use, beside it)
#   $DESTDIR$PREFIX/share/digitd/digitd.toml                    (the default config, for reference)
#   $DESTDIR$PREFIX/share/doc/digitd/README.md
#   $DESTDIR/etc/digitd/digitd.toml                             (only when absent: never overwritten)
#   $DESTDIR$UNITDIR/digitd.service                             (ExecStart= rewritten to $PREFIX/bin)
#   $DESTDIR$SYSUSERSDIR/digitd.conf, $DESTDIR$TMPFILESDIR/digitd.conf  (user/group digitd, setgid inbox)
#
# UNITDIR, SYSUSERSDIR, TMPFILESDIR default to $PREFIX/lib/{systemd/system,sysusers.d,tmpfiles.d}
# when PREFIX is /usr or /usr/local (both on systemd's search paths), else to
# /etc/systemd/system, /etc/sysusers.d, /etc/tmpfiles.d. With no DESTDIR on a
# systemd machine it then creates the user (systemd-sysusers), the state folders
# (systemd-tmpfiles) and runs `systemctl daemon-reload`; it never enables or starts
# the service.
#
# Environment: PREFIX (/usr/local), DESTDIR (empty), MODEL (models/seedcnn.digitd-model),
# ANCHOR (models/anchor),
# SWIFT (swift), SCRATCH (.build-install), SWIFT_BUILD_FLAGS (more `swift build` flags; `make
# systemd-check` compiles the test-only fault switch in with them), UNITDIR, SYSUSERSDIR,
# TMPFILESDIR, STRIP=0 (keep DWARF debug info), NO_BUILD=1 (install what SCRATCH already holds).
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
PREFIX=${PREFIX%/}
DESTDIR=${DESTDIR:-}
MODEL=${MODEL:-models/seedcnn.digitd-model}
ANCHOR=${ANCHOR:-models/anchor}
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build-install}
STRIP=${STRIP:-1}
case "$PREFIX" in
    /usr|/usr/local) libdir="$PREFIX/lib" ;;
    /*) libdir="" ;;
    *) echo "install: PREFIX must be an absolute path, not '$PREFIX'" >&2; exit 2 ;;
esac
UNITDIR=${UNITDIR:-${libdir:+$libdir/systemd/system}}; UNITDIR=${UNITDIR:-/etc/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-${libdir:+$libdir/sysusers.d}}; SYSUSERSDIR=${SYSUSERSDIR:-/etc/sysusers.d}
TMPFILESDIR=${TMPFILESDIR:-${libdir:+$libdir/tmpfiles.d}}; TMPFILESDIR=${TMPFILESDIR:-/etc/tmpfiles.d}
BINDIR="$PREFIX/bin"
DATADIR="$PREFIX/share/digitd"
DOCDIR="$PREFIX/share/doc/digitd"

die() { echo "install: $*" >&2; exit 1; }
[ -f "$MODEL" ] || die "no model at $MODEL (the shipped model is models/seedcnn.digitd-model; or set MODEL=FILE)"
[ -f "$ANCHOR/README.md" ] || die "no anchor set at $ANCHOR (the shipped one is models/anchor; or set ANCHOR=DIR)"

# ------------------------------------------------------------------ build
bin="$SCRATCH/release"
if [ "${NO_BUILD:-0}" != 1 ]; then
    for product in digitd digitctl; do
        echo "install: swift build -c release --static-swift-stdlib --product $product (scratch $SCRATCH)"
        # shellcheck disable=SC2086 # SWIFT_BUILD_FLAGS is a list of flags
        "$SWIFT" build -c release --static-swift-stdlib --scratch-path "$SCRATCH" ${SWIFT_BUILD_FLAGS:-} --product "$product"
    done
fi
for product in digitd digitctl; do [ -x "$bin/$product" ] || die "$bin/$product was not built"; done

# ------------------------------------------------------------------ no Swift runtime .so
# Libraries of the Swift toolchain (absent on a server without it) must not be needed.
check_runtime_libs() {
    local file=$1 out
    out=$(ldd "$file") || die "ldd $file failed"
    if grep -q 'not found' <<<"$out"; then die "$file: missing libraries:"$'\n'"$(grep 'not found' <<<"$out")"; fi
    if grep -Eq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest|/swift/' <<<"$out"; then
        die "$file links the Swift runtime dynamically (build with --static-swift-stdlib):"$'\n'"$(grep -E 'swift|Foundation|dispatch|Blocks' <<<"$out")"
    fi
}
for product in digitd digitctl; do check_runtime_libs "$bin/$product"; done

# ------------------------------------------------------------------ install
D=$DESTDIR
install -d "$D$BINDIR" "$D$DATADIR/models/anchor" "$D$DOCDIR" "$D/etc/digitd" "$D$UNITDIR" "$D$SYSUSERSDIR" "$D$TMPFILESDIR"
install -m 755 "$bin/digitd" "$bin/digitctl" "$D$BINDIR/"
# DWARF off (about 130 -> 95 MB each, most of the rest is ICU data); symbols stay for backtraces.
if [ "$STRIP" = 1 ]; then strip --strip-debug "$D$BINDIR/digitd" "$D$BINDIR/digitctl"; fi
install -m 644 "$MODEL" "$D$DATADIR/models/seedcnn.digitd-model"
install -m 644 "$ANCHOR"/README.md "$ANCHOR"/*-idx?-ubyte.gz "$D$DATADIR/models/anchor/"
install -m 644 etc/digitd.toml "$D$DATADIR/digitd.toml"
install -m 644 README.md "$D$DOCDIR/README.md"
if [ -e "$D/etc/digitd/digitd.toml" ]; then
    echo "install: kept the existing $D/etc/digitd/digitd.toml (the new default is $DATADIR/digitd.toml)"
else
    install -m 644 etc/digitd.toml "$D/etc/digitd/digitd.toml"
fi
# The unit in the repository is written for PREFIX=/usr/local.
sed -e "s|/usr/local/bin/|$BINDIR/|g" -e "s|/usr/local/share/doc/digitd/|$DOCDIR/|g" \
    systemd/digitd.service > "$D$UNITDIR/digitd.service.tmp"
chmod 644 "$D$UNITDIR/digitd.service.tmp"
mv "$D$UNITDIR/digitd.service.tmp" "$D$UNITDIR/digitd.service"
install -m 644 systemd/digitd.sysusers "$D$SYSUSERSDIR/digitd.conf"
install -m 644 systemd/digitd.tmpfiles "$D$TMPFILESDIR/digitd.conf"

for product in digitd digitctl; do check_runtime_libs "$D$BINDIR/$product"; done
echo "install: installed into ${D:-/}: $BINDIR/{digitd,digitctl}, $DATADIR/models/{seedcnn.digitd-model,anchor/}," \
     "/etc/digitd/digitd.toml, $UNITDIR/digitd.service, $SYSUSERSDIR/digitd.conf, $TMPFILESDIR/digitd.conf"

# The Debian packages the binaries need at run time (C libraries only).
libs=$(ldd "$D$BINDIR/digitd" "$D$BINDIR/digitctl" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u)
if command -v dpkg-query >/dev/null; then
    pkgs=$(for lib in $libs; do
               dpkg-query -S "$(readlink -f "$lib")" 2>/dev/null || dpkg-query -S "$lib" 2>/dev/null || echo "?: $lib"
           done | cut -d: -f1 | sort -u | tr '\n' ' ')
    echo "install: runtime packages: $pkgs"
fi

# ------------------------------------------------------------------ activate (real installs only)
if [ -z "$D" ] && [ -d /run/systemd/system ] && [ "$(id -u)" = 0 ]; then
    systemd-sysusers "$SYSUSERSDIR/digitd.conf"
    systemd-tmpfiles --create "$TMPFILESDIR/digitd.conf"
    systemctl daemon-reload
    echo "install: user digitd and /var/lib/digitd ready. Start with: systemctl enable --now digitd"
else
    echo "install: on the target, as root: systemd-sysusers; systemd-tmpfiles --create; systemctl daemon-reload;" \
         "systemctl enable --now digitd"
fi
