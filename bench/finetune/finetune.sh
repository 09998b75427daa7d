#!/usr/bin/env bash
# `make bench-finetune` (and `make bench`): one digitd fine-tune on 500 corrections beside
# the same job in PyTorch, same machine, same run, as ratios; and digitd's ingestion
# throughput while a fine-tune runs against its idle throughput.
#
#   corrections  BENCH_PER_DIGIT (50) x 10 MNIST *training* digits rendered as dark-on-light
#                PNG scans in this run (bench/finetune/finetune_pytorch.py corrections; never
#                committed) into ROOT/labels/0..9/
#   speed        digitd (release) on ROOT with [finetune] epochs = BENCH_EPOCHS (10),
#                threads = BENCH_THREADS (2), mnist = BENCH_MNIST (absolute), interval_s
#                0 (no periodic runs): `digitctl finetune-now --json` — its report's `seconds` (training +
#                gate evaluation) and the command's wall time; a promoted candidate is
#                rolled back (`digitctl rollback base`) so every run starts from the
#                shipped model. PyTorch: bench/finetune/finetune_pytorch.py run, the same job
#                (400 corrections + 1600 replay, 100 held out, 2000 MNIST test images;
#                same schedule, augmentation, interpolation), from seedcnn.f32, torch's
#                default threads (2 on a 2-core machine), `seconds` = the same span,
#                wall = the whole process. BENCH_ROUNDS interleaved rounds (the side that
#                goes first alternates), medians
#   ingestion    the same daemon, restarted with finetune.threads = 1 (the default) and
#                epochs = BENCH_INGEST_EPOCHS (30): BENCH_INGEST_FILES (3000) 28x28 PNGs
#                (bench/pipeline/pipeline_load.py stage: synthetic, never MNIST) renamed into the
#                inbox at once, first rename to last CSV row (pipeline_load.py run), idle
#                and during a fine-tune (`finetune-now --no-wait`, renames once its first
#                epoch is done; the run must still be training when the last row lands,
#                checked from `digitctl status --json`, else the measurement is
#                discarded); BENCH_INGEST_ROUNDS rounds of idle, busy; medians; each
#                busy round's fine-tune is then cut short by restarting digitd
#
# Prints a Markdown table (also bench-out/finetune.md; raw outputs in bench-out/finetune/).
# torch, numpy, Pillow and inotify_simple go into the git-ignored .venv-bench (shared with
# the other benches); none is a dependency of digitd.
#
# Environment:
#   BENCH_ROUNDS         interleaved fine-tune rounds per side (default 3)
#   BENCH_EPOCHS         epochs of the compared fine-tune (default 10)
#   BENCH_THREADS        digitd finetune.threads for the comparison (default 2)
#   BENCH_PER_DIGIT      corrections per digit (default 50: 500 in all)
#   BENCH_INGEST_FILES   28x28 PNGs per ingestion run (default 3000)
#   BENCH_INGEST_ROUNDS  idle + busy ingestion rounds (default 3)
#   BENCH_INGEST_EPOCHS  epochs of the fine-tune ingestion runs beside (default 30)
#   BENCH_MNIST          MNIST folder, IDX .gz (default ../shared/data/mnist)
#   BENCH_WEIGHTS        PyTorch weights (default ../shared/reference/pytorch-seedcnn/seedcnn.f32)
#   BENCH_TMP            where the root and staged files go (default: a mktemp -d folder)
#   BENCH_SCRATCH        a SwiftPM --scratch-path (make sets .build-bench; unset: SwiftPM's own .build)
#   TORCH_WHEEL          the torch wheel to install (default /opt/wheels/torch-*.whl)
#   SWIFT                the swift driver (default swift)
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${BENCH_ROUNDS:-3}
epochs=${BENCH_EPOCHS:-10}
threads=${BENCH_THREADS:-2}
per_digit=${BENCH_PER_DIGIT:-50}
ingest_files=${BENCH_INGEST_FILES:-3000}
ingest_rounds=${BENCH_INGEST_ROUNDS:-3}
ingest_epochs=${BENCH_INGEST_EPOCHS:-30}
mnist=$(realpath "${BENCH_MNIST:-../shared/data/mnist}")
weights=${BENCH_WEIGHTS:-../shared/reference/pytorch-seedcnn/seedcnn.f32}
. bench/common/common.sh
raw=$out/finetune
bench_need bench-finetune "$mnist/train-images-idx3-ubyte.gz" "$mnist/t10k-images-idx3-ubyte.gz" "$weights"
started=$(date +%s)

# torch, numpy, Pillow, inotify_simple in .venv-bench; the release digitd and digitctl.
bench_venv bench-finetune "numpy, PIL, inotify_simple" numpy pillow inotify_simple
bench_build_daemon bench-finetune

bench_tmp finetune
tmp=$(realpath "$tmp")
daemon_pid=""
cleanup() {
    [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
    cp "$tmp"/raw/* "$raw"/ 2>/dev/null  # kept even when a phase failed
    rm -rf "$tmp"
}
trap cleanup EXIT
root="$tmp/root"
rm -rf "$root" "$tmp/raw" "$raw"
mkdir -p "$root" "$tmp/raw" "$raw"
results="$tmp/raw/results.jsonl"
: >"$results"
load() { printf '%s\t%s\n' "$1" "$(loadavg)" >>"$tmp/raw/load.txt"; }
record() { printf '{"side": "%s", "phase": "%s", %s}\n' "$1" "$2" "$3" >>"$results"; }
load start

# others: the share of the cores other processes used between two marks: /proc/stat
# busy time (common.sh's busy) less the measured processes' own.
proc_cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }  # utime + stime ticks
now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

# config THREADS EPOCHS: the daemon's config, every other key at etc/digitd.toml's default
config() {
    cat >"$tmp/digitd.toml" <<EOF
# written by bench/finetune/finetune.sh; every other key at etc/digitd.toml's default
[finetune]
interval_s = 0
epochs = $2
threads = $1
max_seconds = 7200
mnist = "$mnist"
EOF
}
start() { bench_start_daemon bench-finetune "$root" "$tmp/digitd.toml" "$1"; }  # start LOG: on $root
stop() { bench_stop_daemon; }
ctl() { "$ctl" "$@" --root "$root"; }

# ---- corrections ------------------------------------------------------------------
echo "bench-finetune: rendering $((per_digit * 10)) corrections (MNIST train digits as scans)" >&2
"$py" bench/finetune/finetune_pytorch.py corrections --mnist "$mnist" --out "$root/labels" --per-digit "$per_digit" \
    >"$tmp/raw/corrections.json"

# ---- speed --------------------------------------------------------------------------
config "$threads" "$epochs"
start "$tmp/raw/digitd-speed.log"
digitd_round() {
    local r=$1 b0 c0 t0 t1 rc=0
    echo "bench-finetune: round $r/$rounds, digitd finetune-now ($epochs epochs, $threads threads)" >&2
    b0=$(busy); c0=$(proc_cpu "$daemon_pid"); t0=$(now)
    "$ctl" finetune-now --root "$root" --json >"$tmp/raw/digitd-$r.json" || rc=$?
    t1=$(now)
    local others
    others=$(awk -v b="$(( $(busy) - b0 ))" -v c="$(( $(proc_cpu "$daemon_pid") - c0 ))" -v hz="$hz" -v n="$cores" \
        -v w="$(minus "$t1" "$t0")" 'BEGIN { f = (b - c) / hz / (n * w); printf "%.3f", (f < 0 ? 0 : f) }')
    record digitd speed "\"round\": $r, \"exit\": $rc, \"wall\": $(minus "$t1" "$t0"), \"others_share\": $others, \"report\": $(json_line "$tmp/raw/digitd-$r.json")"
    # Every run from the shipped model: a promoted candidate is rolled back.
    [ "$rc" = 0 ] && ctl rollback base >>"$tmp/raw/rollback.txt"
    return 0
}
pytorch_round() {
    local r=$1 b0 t0 t1
    echo "bench-finetune: round $r/$rounds, PyTorch ($epochs epochs)" >&2
    b0=$(busy); t0=$(now)
    /usr/bin/time -f '%U %S' -o "$tmp/own.time" "$py" bench/finetune/finetune_pytorch.py run --labels "$root/labels" \
        --mnist "$mnist" --weights "$weights" --epochs "$epochs" --seed "$r" >"$tmp/raw/pytorch-$r.json"
    t1=$(now)
    local others
    others=$(awk -v b="$(( $(busy) - b0 ))" -v hz="$hz" -v n="$cores" -v w="$(minus "$t1" "$t0")" -v own="$(cat "$tmp/own.time")" \
        'BEGIN { split(own, o, " "); f = (b / hz - o[1] - o[2]) / (n * w); printf "%.3f", (f < 0 ? 0 : f) }')
    record pytorch speed "\"round\": $r, \"exit\": 0, \"wall\": $(minus "$t1" "$t0"), \"others_share\": $others, \"report\": $(cat "$tmp/raw/pytorch-$r.json")"
}
for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then digitd_round "$r"; pytorch_round "$r"; else pytorch_round "$r"; digitd_round "$r"; fi
done
stop
load speed

# ---- ingestion during a fine-tune -----------------------------------------------------
echo "bench-finetune: staging $((2 * ingest_rounds)) x $ingest_files PNGs" >&2
for r in $(seq 1 "$ingest_rounds"); do
    for kind in idle busy; do
        "$py" bench/pipeline/pipeline_load.py stage --kind png28 --count "$ingest_files" --out "$tmp/stage-$kind-$r" \
            --prefix "$kind$r-" >>"$tmp/raw/stage.jsonl"
    done
done
sleep 2  # older than watch.quiet_period_ms (1 s) when they are renamed in
config 1 "$ingest_epochs"
start "$tmp/raw/digitd-ingest.log"
fine_tune() {  # fine_tune FIELD: the fine-tune report's FIELD from `digitctl status --json`
    ctl status --json | "$py" -c 'import json, sys; r = json.load(sys.stdin).get("fineTune") or {}; print(r.get(sys.argv[1], ""))' "$1"
}
for r in $(seq 1 "$ingest_rounds"); do
    echo "bench-finetune: ingestion round $r/$ingest_rounds, idle" >&2
    sleep 1
    "$py" bench/pipeline/pipeline_load.py run --stage "$tmp/stage-idle-$r" --root "$root" --pid "$daemon_pid" \
        --count "$ingest_files" --label idle >"$tmp/run.json" || true
    record digitd ingest-idle "\"round\": $r, \"result\": $(cat "$tmp/run.json")"

    echo "bench-finetune: ingestion round $r/$ingest_rounds, during a fine-tune" >&2
    ctl finetune-now --no-wait --json >"$tmp/raw/queued-$r.json"
    waited=0
    until [ "$(fine_tune epoch)" -ge 1 ] 2>/dev/null; do
        sleep 0.2
        waited=$((waited + 1))
        [ $waited -lt 3000 ] || { echo "bench-finetune: the fine-tune never finished an epoch" >&2; exit 1; }
    done
    epoch_before=$(fine_tune epoch)
    "$py" bench/pipeline/pipeline_load.py run --stage "$tmp/stage-busy-$r" --root "$root" --pid "$daemon_pid" \
        --count "$ingest_files" --label busy >"$tmp/run.json" || true
    state=$(fine_tune state)
    epoch_after=$(fine_tune epoch)
    record digitd ingest-busy "\"round\": $r, \"finetune_state_after\": \"$state\", \"epoch_before\": $epoch_before, \"epoch_after\": ${epoch_after:-0}, \"epochs\": $ingest_epochs, \"result\": $(cat "$tmp/run.json")"
    # Cut the fine-tune short (nothing changes) and start afresh for the next round.
    stop
    start "$tmp/raw/digitd-ingest-$r.log"
done
stop
load ingestion

bench_machine
versions=$("$py" -c 'import torch, numpy, PIL, sys
print(f"Python {sys.version.split()[0]}, torch {torch.__version__} ({torch.get_num_threads()} threads by default, {torch.backends.cpu.get_cpu_capability()}), numpy {numpy.__version__}, Pillow {PIL.__version__}")')
minutes=$(( ($(date +%s) - started + 30) / 60 ))

cat >"$tmp/header.txt" <<EOF
## digitd fine-tuning vs the same job in PyTorch, same run ($(date -u '+%Y-%m-%d %H:%M UTC'))

- CPU: **$cpu_model** (family $cpu_family, model $cpu_modelno), $cores cores online, $mem_total; nothing pinned
- load average (1/5/15 min): $(sed -n 's/^start\t//p' "$tmp/raw/load.txt") at the start, $(sed -n 's/^speed\t//p' "$tmp/raw/load.txt") after the speed rounds, $(sed -n 's/^ingestion\t//p' "$tmp/raw/load.txt") at the end; "others" = the share of the cores other processes used meanwhile (/proc/stat busy time less the measured process's own) — the cores are shared with other engineers' builds, so figures are noisy
- the job: $((per_digit * 10)) corrections (MNIST *training* digits rendered as dark-on-light PNG scans in the run, decoded and normalized to 28x28 outside the timed span), a stratified 20% held out, the rest + 4x as many replay images (MNIST train), $epochs epochs of batch 32, Adam 1e-3 with 20 warm-up steps then cosine, augmented (rotation ±12°, shift ±2 px, scale ±12%), 0.7 of the weight change kept, then base and candidate evaluated on the held-out corrections and 2000 MNIST test images; "seconds" = that span (digitd: its report's \`seconds\`), "wall" = the whole command (\`digitctl finetune-now\`, which also reads MNIST and decodes the corrections; the Python process with torch's import)
- digitd: release build, Swift $swift_version, shipped model, \`[finetune] epochs = $epochs\`, **\`threads = $threads\`** (the run is niced, nice 10), \`mnist\` set, other keys at their defaults; every run from the shipped model (a promoted candidate rolled back)
- PyTorch: bench/finetune/finetune_pytorch.py with seedcnn.f32 and bench/network/network_model.py; $versions; **2 threads** (torch's default here), one untimed warm-up step
- ingestion: $ingest_files synthetic 28x28 PNGs (bench/pipeline/pipeline_load.py, never MNIST) renamed into the inbox at once, first rename to last CSV row, idle and while a fine-tune trains (**\`finetune.threads = 1\`**, the default; epochs = $ingest_epochs so it outlasts the window; renames start after its first epoch), $ingest_rounds rounds each, medians; digitd's other keys at their defaults (one worker thread per core)
- command: \`make bench-finetune\` (bench/finetune/finetune.sh; BENCH_ROUNDS=$rounds BENCH_EPOCHS=$epochs BENCH_THREADS=$threads BENCH_PER_DIGIT=$per_digit BENCH_INGEST_FILES=$ingest_files BENCH_INGEST_ROUNDS=$ingest_rounds BENCH_INGEST_EPOCHS=$ingest_epochs), $minutes min
EOF

cp "$tmp"/raw/* "$raw"/
"$py" bench/finetune/finetune_report.py "$results" "$tmp/header.txt" | tee "$out/finetune.md"
echo "bench-finetune: wrote $out/finetune.md (raw outputs in $raw/)" >&2
