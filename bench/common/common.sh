# Sourced by every bench/*/*.sh after `cd` to the repository: the settings they share,
# the git-ignored .venv-bench with torch (the CPU wheel on the machine image) and the
# given Python packages, the release digitd and digitctl, and what the drivers ask of
# the machine.
#
#   $swift, $venv, $out and the scratch array (SwiftPM --scratch-path from BENCH_SCRATCH)
#   $hz, $cores                                clock ticks a second, cores online
#   bench_venv NAME "import list" package...   e.g. bench_venv bench-pipeline "numpy, PIL" numpy pillow
#                                              sets $py
#   bench_build NAME PRODUCT...                release builds of the products; sets $binpath
#   bench_build_daemon NAME                    bench_build NAME digitd digitctl; sets $digitd and $ctl
#   bench_need NAME FILE...                    exits unless every FILE exists
#   bench_tmp NAME                             sets $tmp: BENCH_TMP (made if missing) or a new
#                                              /tmp/digitd-NAME.XXXXXX
#   bench_wait_ready NAME PID LOG              returns once LOG has the word ready; exits
#                                              (showing LOG) if PID ends first or after 60 s
#   bench_machine                              sets $cpu_model, $cpu_family, $cpu_modelno,
#                                              $avx512 (yes/no), $mem_total ("24 GiB"), $swift_version
#   loadavg                                    the 1/5/15 min load average
#   busy                                       ticks all cores spent busy since boot (/proc/stat:
#                                              user, nice, system, irq, softirq, steal)
#   json_line FILE                             FILE's JSON on one line (after bench_venv)
swift=${SWIFT:-swift}
venv=.venv-bench
out=bench-out
scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
hz=$(getconf CLK_TCK)
cores=$(getconf _NPROCESSORS_ONLN)

bench_venv() {
    local name=$1 imports=$2 wheel
    shift 2
    local packages=("$@")
    if ! "$venv/bin/python" -c "import torch, $imports" 2>/dev/null; then
        [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
        if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
            wheel=${TORCH_WHEEL:-$(ls /opt/wheels/torch-*.whl 2>/dev/null | head -1)}
            [ -n "$wheel" ] || { echo "$name: no CPU torch wheel in /opt/wheels (set TORCH_WHEEL)" >&2; exit 1; }
            packages=("$wheel" "${packages[@]}")
        fi
        echo "$name: installing ${packages[*]##*/} into $venv" >&2
        "$venv/bin/pip" install -q "${packages[@]}" >&2
    fi
    py="$venv/bin/python"
}

bench_build() {
    local name=$1 product products
    shift
    products=$(printf '%s and ' "$@")
    echo "$name: building ${products% and } (release)" >&2
    for product in "$@"; do
        "$swift" build -c release "${scratch[@]}" --product "$product" >&2
    done
    binpath=$("$swift" build -c release "${scratch[@]}" --show-bin-path)
}

bench_build_daemon() {
    bench_build "$1" digitd digitctl
    digitd="$binpath/digitd"
    ctl="$binpath/digitctl"
}

bench_need() {
    local name=$1 f
    shift
    for f in "$@"; do
        [ -e "$f" ] || { echo "$name: $f not found" >&2; exit 1; }
    done
}

bench_tmp() {
    if [ -n "${BENCH_TMP:-}" ]; then
        tmp=$BENCH_TMP
        mkdir -p "$tmp"
    else
        tmp=$(mktemp -d "/tmp/digitd-$1.XXXXXX")
    fi
}

bench_wait_ready() {
    local name=$1 pid=$2 log=$3
    for _ in $(seq 1 600); do
        grep -qw 'ready' "$log" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name did not get ready:" >&2
    cat "$log" >&2
    exit 1
}

# bench_start_daemon NAME ROOT CONFIG LOG: the built digitd on ROOT, its stderr in LOG; sets
# daemon_pid once it is ready. bench_stop_daemon: SIGTERM, and wait for it to finish.
bench_start_daemon() {
    "$digitd" --config "$3" --root "$2" 2>"$4" &
    daemon_pid=$!
    bench_wait_ready "$1: digitd" "$daemon_pid" "$4"
}
bench_stop_daemon() {
    kill -TERM "$daemon_pid"
    wait "$daemon_pid" || true
    daemon_pid=""
}

bench_machine() {
    cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
    cpu_family=$(lscpu | sed -n 's/^CPU family: *//p' | head -1)
    cpu_modelno=$(lscpu | sed -n 's/^Model: *//p' | head -1)
    avx512=no
    grep -qw avx512f /proc/cpuinfo && avx512=yes
    mem_total=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    swift_version=$("$swift" --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/\1/p' | head -1)
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
json_line() { "$py" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$1"; }
