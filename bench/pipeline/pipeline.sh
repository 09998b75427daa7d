#!/usr/bin/env bash
# `make bench-pipeline` (and `make bench`): digitd end to end, inbox to CSV row, beside a
# Python watcher doing the same job the obvious way (bench/pipeline/pipeline_python.py: inotify +
# Pillow + the seed CNN in PyTorch, batching whatever has arrived), on the same synthetic
# files, on the same machine, in the same run, as ratios. The Python watcher runs twice:
# on inotify_simple (IN_CLOSE_WRITE + IN_MOVED_TO, what digitd takes; the ratios and goals
# are against it, or against the faster of the two) and on watchdog's Observer, whose
# 0.5 s hold of IN_MOVED_FROM events delays files dropped shortly after a claim.
#
#   latency     one idle watcher each; BENCH_LATENCY_SAMPLES 28x28 PNGs dropped one at a
#               time (renamed into the inbox, then 30-60 ms idle): time to the file's row in
#               the CSV and to the file in done/ (bench/pipeline/pipeline_load.py latency); p50/p99
#   throughput  BENCH_PNG_FILES 28x28 PNGs and BENCH_JPEG_FILES 300x300 JPEGs, staged
#               beside the root (same filesystem) well before, renamed into the inbox at
#               once; first rename to last CSV row; files/s, CPU s/file (/proc/PID/stat),
#               batch sizes (digitd: its CSV's batches and `digitctl status --json`;
#               Python: its batch log); BENCH_ROUNDS interleaved rounds, a fresh watcher
#               and root per run, the order of the sides swapped every round; medians
#   memory      VmRSS after start (idle) and after the latency run (idle again); VmHWM
#               while BENCH_BACKLOG_FILES 28x28 PNGs renamed into the inbox at once are
#               worked off (VmRSS sampled every 0.25 s); the Python watcher's RSS beside
#               it (its backlog run only with BENCH_BACKLOG_PYTHON=1: ~5 min more)
#
# digitd runs the release build with a config written here (batch.max_size
# BENCH_MAX_SIZE, batch.max_delay_ms BENCH_MAX_DELAY_MS, the rest etc/digitd.toml's
# defaults, the shipped model); the Python watcher takes at most BENCH_MAX_SIZE files a
# batch and never waits for more. Both use the machine's cores as they like (digitd one
# worker thread per core, torch its default intra-op threads); nothing is pinned.
#
# Prints a Markdown table (also bench-out/pipeline.md; raw outputs in bench-out/pipeline/).
# torch, Pillow, numpy, watchdog and inotify_simple go into the git-ignored .venv-bench
# (shared with bench/imaging/imaging.sh and bench/network/network.sh); none is a dependency of digitd.
#
# Environment:
#   BENCH_PNG_FILES        28x28 PNGs per throughput run (default 5000)
#   BENCH_JPEG_FILES       300x300 JPEGs per throughput run (default 1000)
#   BENCH_ROUNDS           interleaved throughput rounds (default 3)
#   BENCH_LATENCY_SAMPLES  single-file drops per side (default 200)
#   BENCH_BACKLOG_FILES    28x28 PNGs in the backlog run (default 100000; ~0.5 GB of disk)
#   BENCH_BACKLOG_PYTHON   1: the Python watcher works off the backlog too (default 0)
#   BENCH_MAX_SIZE         batch.max_size, and the Python watcher's largest batch (default 64)
#   BENCH_MAX_DELAY_MS     batch.max_delay_ms (default 5, digitd's default)
#   BENCH_TMP              where the roots and staged files go (default: a mktemp -d folder)
#   BENCH_WEIGHTS          PyTorch weights (default ../shared/reference/pytorch-seedcnn/seedcnn.f32)
#   BENCH_SCRATCH          a SwiftPM --scratch-path (make sets .build-bench; unset: SwiftPM's own .build)
#   TORCH_WHEEL            the torch wheel to install (default /opt/wheels/torch-*.whl)
#   SWIFT                  the swift driver (default swift)
set -euo pipefail
cd "$(dirname "$0")/../.."

png_files=${BENCH_PNG_FILES:-5000}
jpeg_files=${BENCH_JPEG_FILES:-1000}
rounds=${BENCH_ROUNDS:-3}
latency_samples=${BENCH_LATENCY_SAMPLES:-200}
backlog_files=${BENCH_BACKLOG_FILES:-100000}
backlog_python=${BENCH_BACKLOG_PYTHON:-0}
max_size=${BENCH_MAX_SIZE:-64}
max_delay=${BENCH_MAX_DELAY_MS:-5}
weights=${BENCH_WEIGHTS:-../shared/reference/pytorch-seedcnn/seedcnn.f32}
. bench/common/common.sh
raw=$out/pipeline
[ -e "$weights" ] || { echo "bench-pipeline: $weights not found (set BENCH_WEIGHTS)" >&2; exit 1; }
started=$(date +%s)

# torch, numpy, Pillow, watchdog, inotify_simple in .venv-bench; the release digitd and digitctl.
bench_venv bench-pipeline "numpy, PIL, watchdog, inotify_simple" numpy pillow watchdog inotify_simple
bench_build_daemon bench-pipeline

bench_tmp pipeline
watcher_pid=""
cleanup() {
    [ -n "$watcher_pid" ] && kill -TERM "$watcher_pid" 2>/dev/null && wait "$watcher_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/raw" "$out"
results="$tmp/raw/results.jsonl"
: >"$results"
load() { printf '%s\t%s\n' "$1" "$(loadavg)" >>"$tmp/raw/load.txt"; }
load start

# python = pipeline_python.py --watch inotify (inotify_simple), python-watchdog = --watch watchdog
all_sides=(digitd python python-watchdog)

cat >"$tmp/digitd.toml" <<EOF
# written by bench/pipeline/pipeline.sh; every other key at etc/digitd.toml's default
[batch]
max_size = $max_size
max_delay_ms = $max_delay
EOF

# start SIDE ROOT LOG: a fresh watcher on ROOT; sets watcher_pid once it said "ready".
start() {
    local side=$1 root=$2 log=$3
    rm -rf "$root"
    mkdir -p "$root"
    case $side in
        digitd) "$digitd" --config "$tmp/digitd.toml" --root "$root" 2>"$log" & ;;
        python) watch=inotify ;;&
        python-watchdog) watch=watchdog ;;&
        python*) "$py" bench/pipeline/pipeline_python.py --root "$root" --weights "$weights" --watch "$watch" \
                     --max-batch "$max_size" --batch-log "$root.batches.jsonl" 2>"$log" & ;;
    esac
    watcher_pid=$!
    bench_wait_ready "bench-pipeline: $side" "$watcher_pid" "$log"
}
# start_idle SIDE ROOT LOG: start, then 2 s for the watcher to settle; sets rss_start (VmRSS, KiB).
start_idle() {
    start "$@"
    sleep 2
    rss_start=$(memory VmRSS)
}
# stop: SIGTERM, wait for the exit.
stop() {
    kill -TERM "$watcher_pid"
    wait "$watcher_pid" || true
    watcher_pid=""
}
memory() {  # memory KEY: VmRSS or VmHWM of the watcher, KiB
    awk -v k="$1:" '$1 == k { print $2 }' "/proc/$watcher_pid/status"
}
# record SIDE PHASE JSON-OBJECT-BODY: one line of results.jsonl
record() {
    printf '{"side": "%s", "phase": "%s", %s}\n' "$1" "$2" "$3" >>"$results"
}
# batches SIDE ROOT: the sizes of the batches, one a line, in order
batches() {
    if [ "$1" = digitd ]; then
        # digitd stamps each batch's rows with one processed_at (ms): consecutive rows
        # with the same stamp are one batch.
        cat "$2"/results/*.csv | awk -F, 'NR > 1 && $1 != "file" { if ($7 != last && n) { print n; n = 0 } last = $7; n++ } END { if (n) print n }'
    else
        "$py" -c 'import json, sys; [print(json.loads(l)["batch"]) for l in open(sys.argv[1])]' "$2.batches.jsonl"
    fi
}
# work_off SIDE ROOT KIND COUNT TAG [--series]: renames COUNT files of stage-KIND into the
# watcher's inbox at once and waits for their rows (pipeline_load.py run); sets $worked to
# the fields batches, status (digitd: `digitctl status --json`, kept as
# raw/digitd-TAG.status.json; Python: null) and result of a results.jsonl line.
work_off() {
    local side=$1 root=$2 kind=$3 count=$4 tag=$5 sizes status=null
    shift 5
    "$py" bench/pipeline/pipeline_load.py run --stage "$tmp/stage-$kind" --root "$root" --pid "$watcher_pid" \
        --count "$count" --label "$side-$kind" "$@" >"$tmp/run.json" || true
    sizes=$(batches "$side" "$root" | paste -sd, -)
    if [ "$side" = digitd ]; then
        "$ctl" status --root "$root" --json >"$tmp/raw/digitd-$tag.status.json"
        status=$(json_line "$tmp/raw/digitd-$tag.status.json")
    fi
    worked="\"batches\": [$sizes], \"status\": $status, \"result\": $(cat "$tmp/run.json")"
}

# ---- inputs -------------------------------------------------------------------
echo "bench-pipeline: staging $png_files PNGs, $jpeg_files JPEGs, $latency_samples latency PNGs" >&2
"$py" bench/pipeline/pipeline_load.py stage --kind png28 --count "$png_files" --out "$tmp/stage-png" >>"$tmp/raw/stage.jsonl"
"$py" bench/pipeline/pipeline_load.py stage --kind jpeg300 --count "$jpeg_files" --out "$tmp/stage-jpeg" >>"$tmp/raw/stage.jsonl"
"$py" bench/pipeline/pipeline_load.py stage --kind png28 --count "$latency_samples" --out "$tmp/stage-latency" \
    --prefix drop- >>"$tmp/raw/stage.jsonl"
sleep 2  # older than watch.quiet_period_ms (1 s) when they are renamed in

# ---- latency and idle memory ------------------------------------------------------
for side in "${all_sides[@]}"; do
    echo "bench-pipeline: $side idle latency, $latency_samples files" >&2
    root="$tmp/latency-$side"
    start_idle "$side" "$root" "$tmp/raw/$side-latency.log"
    "$py" bench/pipeline/pipeline_load.py latency --stage "$tmp/stage-latency" --root "$root" --pid "$watcher_pid" \
        --samples "$latency_samples" --label "$side" >"$tmp/latency.json" || true
    sleep 2
    record "$side" latency "\"rss_idle_start_kib\": $rss_start, \"rss_idle_after_kib\": $(memory VmRSS), \"hwm_kib\": $(memory VmHWM), \"result\": $(cat "$tmp/latency.json")"
    stop
    "$py" bench/pipeline/pipeline_load.py restage --root "$root" --stage "$tmp/stage-latency"
done
load latency

# ---- throughput -----------------------------------------------------------------
for r in $(seq 1 "$rounds"); do
    # digitd first, in the middle, last: each side meets the others' leftovers alike.
    k=$(( (r - 1) % 3 ))
    sides=("${all_sides[@]:k}" "${all_sides[@]:0:k}")
    for kind in png jpeg; do
        count=$png_files
        [ "$kind" = jpeg ] && count=$jpeg_files
        for side in "${sides[@]}"; do
            echo "bench-pipeline: round $r/$rounds, $kind, $side ($count files)" >&2
            root="$tmp/$kind-$side"
            start "$side" "$root" "$tmp/raw/$side-$kind-$r.log"
            work_off "$side" "$root" "$kind" "$count" "$kind-$r"
            record "$side" "$kind" "\"round\": $r, $worked"
            stop
            "$py" bench/pipeline/pipeline_load.py restage --root "$root" --stage "$tmp/stage-$kind"
        done
    done
done
load throughput
rm -rf "$tmp/stage-jpeg" "$tmp"/jpeg-*

# ---- backlog ---------------------------------------------------------------------
echo "bench-pipeline: staging a backlog of $backlog_files PNGs" >&2
"$py" bench/pipeline/pipeline_load.py stage --kind png28 --count "$backlog_files" --out "$tmp/stage-backlog" \
    --prefix backlog- >>"$tmp/raw/stage.jsonl"
sleep 2
backlog_sides=(digitd)
[ "$backlog_python" = 1 ] && backlog_sides+=(python python-watchdog)
for side in "${backlog_sides[@]}"; do
    echo "bench-pipeline: $side works off $backlog_files files" >&2
    root="$tmp/backlog-$side"
    start_idle "$side" "$root" "$tmp/raw/$side-backlog.log"
    work_off "$side" "$root" backlog "$backlog_files" backlog --series
    record "$side" backlog "\"rss_idle_start_kib\": $rss_start, $worked"
    stop
    "$py" bench/pipeline/pipeline_load.py restage --root "$root" --stage "$tmp/stage-backlog"
    rm -rf "$root"
done
load backlog

bench_machine
versions=$("$py" -c 'import PIL, numpy, torch, watchdog.version, sys
print(f"Python {sys.version.split()[0]}, torch {torch.__version__} ({torch.get_num_threads()} threads), Pillow {PIL.__version__}, numpy {numpy.__version__}, watchdog {watchdog.version.VERSION_STRING}")')
fs=$(df -T "$tmp" | awk 'NR == 2 { print $2 " on " $1 }')
minutes=$(( ($(date +%s) - started + 30) / 60 ))

cat >"$tmp/header.txt" <<EOF
## digitd end to end vs a Python watcher, same run ($(date -u '+%Y-%m-%d %H:%M UTC'))

- CPU: **$cpu_model** (family $cpu_family, model $cpu_modelno), $cores cores online, $mem_total; nothing pinned
- load average (1/5/15 min): $(sed -n 's/^start\t//p' "$tmp/raw/load.txt") at the start, $(sed -n 's/^backlog\t//p' "$tmp/raw/load.txt") at the end; "others" = the share of the cores other processes used during a measurement (/proc/stat busy time less the watcher's and the load script's own), since the cores are shared with other engineers' builds
- digitd: release build, Swift $swift_version, shipped model, config \`batch.max_size = $max_size\`, \`batch.max_delay_ms = $max_delay\`, other keys at their defaults (one worker thread per core)
- Python: bench/pipeline/pipeline_python.py — inotify_simple ("Python") or watchdog's Observer ("watchdog") + Pillow + bench/imaging/imaging_pillow.py's normalization + the seed CNN in torch with seedcnn.f32, batches of whatever has arrived (≤ $max_size), CSV row with sha256, flush + fsync, then the move to done/; $versions
- files: synthetic (bench/pipeline/pipeline_load.py stage, never MNIST): 28x28 gray PNGs (~0.6 KB) and 300x300 RGB JPEGs q90 (~15 KB), each different; staged on the same filesystem ($fs), renamed into the inbox at once by one process; the time runs from the first rename to the last CSV row
- command: \`make bench-pipeline\` (bench/pipeline/pipeline.sh; BENCH_PNG_FILES=$png_files BENCH_JPEG_FILES=$jpeg_files BENCH_ROUNDS=$rounds BENCH_LATENCY_SAMPLES=$latency_samples BENCH_BACKLOG_FILES=$backlog_files BENCH_BACKLOG_PYTHON=$backlog_python), $minutes min
EOF

rm -rf "$raw"
mkdir -p "$raw"
cp "$tmp"/raw/* "$raw"/
"$py" bench/pipeline/pipeline_report.py "$results" "$tmp/header.txt" --max-delay-ms "$max_delay" | tee "$out/pipeline.md"
echo "bench-pipeline: wrote $out/pipeline.md (raw outputs in $raw/)" >&2
