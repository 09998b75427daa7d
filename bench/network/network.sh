#!/usr/bin/env bash
# `make bench-network` (and `make bench`): the Swift network engine beside PyTorch running
# the same seed CNN on the same machine, in the same run, as ratios.
#
#   throughput  bench/network/NetworkBench vs bench/network/network_pytorch.py bench (same
#               methodology: warm-up call, then back-to-back calls for BENCH_SECONDS,
#               random images), in BENCH_ROUNDS interleaved rounds, medians; PyTorch
#               as NCHW (default), channels_last, and channels_last with jemalloc /
#               tcmalloc preloaded (Debian libjemalloc2 / libtcmalloc-minimal4, if
#               installed)
#   fine-tune   500 MNIST training images × 5 epochs, batch 64, augmented, Adam:
#               `digitctl train` on a 500-image copy vs network_pytorch.py finetune
#   training    one augmented epoch of the 60k (`digitctl train --epochs 1` vs
#               network_pytorch.py train-epoch), img/s and peak RSS (/usr/bin/time -v)
#   eval        whole process, `digitctl eval` vs bench/network/eval_pytorch.py on the 10k test
#               set (hyperfine if installed, else repeated /usr/bin/time)
#
# Prints a Markdown table (also bench-out/network.md; raw outputs in bench-out/network/).
# PyTorch is installed from the CPU wheel on the machine image into the git-ignored
# .venv-bench (shared with bench/imaging/imaging.sh); it is never a dependency of digitd.
#
# Environment:
#   BENCH_SECONDS      timed seconds per measurement and side (default 2)
#   BENCH_ROUNDS       interleaved throughput rounds / fine-tune runs (default 3)
#   BENCH_EVAL_RUNS    whole-process eval runs per side (default 5, after 1 warm-up)
#   BENCH_MNIST        MNIST folder (default ../shared/data/mnist)
#   BENCH_MODEL        model file for `digitctl eval` (default models/seedcnn.digitd-model)
#   BENCH_WEIGHTS      PyTorch weights (default ../shared/reference/pytorch-seedcnn/seedcnn.f32)
#   BENCH_PEAK_GFLOPS  machine peak for the fraction-of-peak column (default 350)
#   BENCH_SCRATCH      a SwiftPM --scratch-path (make sets .build-bench; unset: SwiftPM's own .build)
#   TORCH_WHEEL        the torch wheel to install (default /opt/wheels/torch-*.whl)
#   SWIFT              the swift driver (default swift)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${BENCH_SECONDS:-2}
rounds=${BENCH_ROUNDS:-3}
eval_runs=${BENCH_EVAL_RUNS:-5}
mnist=${BENCH_MNIST:-../shared/data/mnist}
model=${BENCH_MODEL:-models/seedcnn.digitd-model}
weights=${BENCH_WEIGHTS:-../shared/reference/pytorch-seedcnn/seedcnn.f32}
. bench/common/common.sh
raw=$out/network

bench_need bench-network "$mnist/t10k-images-idx3-ubyte.gz" "$mnist/train-images-idx3-ubyte.gz" "$weights"

# torch and numpy in .venv-bench.
bench_venv bench-network numpy numpy

bench_build bench-network NetworkBench digitctl
netbench="$binpath/NetworkBench"
ctl="$binpath/digitctl"

model_note="\`$model\`"
if [ ! -e "$model" ]; then
    fallback=$(ls -t /tmp/*.digitd-model 2>/dev/null | head -1 || true)
    [ -n "$fallback" ] || { echo "bench-network: $model not found (set BENCH_MODEL)" >&2; exit 1; }
    model_note="\`$fallback\` ($model does not exist yet; same network, so the same work)"
    model=$fallback
fi

# Tuned malloc for PyTorch's best variant.
lib() { ldconfig -p | awk -v name="$1" '$1 == name { print $NF; exit }'; }
jemalloc=$(lib libjemalloc.so.2)
tcmalloc=$(lib libtcmalloc_minimal.so.4)
malloc_note=""
[ -n "$jemalloc" ] || malloc_note+=" jemalloc not installed (apt-get install libjemalloc2);"
[ -n "$tcmalloc" ] || malloc_note+=" tcmalloc not installed (apt-get install libtcmalloc-minimal4);"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
phase() {  # phase NAME COMMAND...: runs COMMAND, records the load average before and after
    local name=$1 before
    shift
    before=$(loadavg)
    "$@"
    printf '%s\t%s\t%s\n' "$name" "$before" "$(loadavg)" >>"$tmp/load.txt"
}
# measured LABEL OUT COMMAND...: runs COMMAND with stdout appended to OUT and records in
# contention.txt how much of the cores other processes used meanwhile: CPU time the
# whole machine spent busy (/proc/stat: user, nice, system, irq, softirq, steal) minus
# COMMAND's own, over cores × wall time.
measured() {
    local label=$1 output=$2 b0 b1 wall user sys
    shift 2
    b0=$(busy)
    /usr/bin/time -f '%e %U %S' -o "$tmp/own.time" "$@" >>"$output"
    b1=$(busy)
    read -r wall user sys <"$tmp/own.time"
    awk -v l="$label" -v b="$((b1 - b0))" -v hz="$hz" -v n="$cores" -v w="$wall" -v u="$user" -v s="$sys" \
        'BEGIN { f = (b / hz - u - s) / (n * w); printf "%s\t%.3f\n", l, (f < 0 ? 0 : f) }' >>"$tmp/contention.txt"
}

throughput() {
    : >"$tmp/pytorch-bench.jsonl"
    for r in $(seq 1 "$rounds"); do
        echo "bench-network: throughput round $r/$rounds" >&2
        measured throughput "$tmp/swift-bench-$r.txt" "$netbench" "$seconds"
        measured throughput "$tmp/pytorch-bench.jsonl" "$py" bench/network/network_pytorch.py bench --seconds "$seconds" --variant nchw
        measured throughput "$tmp/pytorch-bench.jsonl" "$py" bench/network/network_pytorch.py bench --seconds "$seconds" --variant channels_last
        if [ -n "$jemalloc" ]; then
            measured throughput "$tmp/pytorch-bench.jsonl" env LD_PRELOAD="$jemalloc" \
                "$py" bench/network/network_pytorch.py bench --seconds "$seconds" --variant channels_last --label channels_last+jemalloc
        fi
        if [ -n "$tcmalloc" ]; then
            measured throughput "$tmp/pytorch-bench.jsonl" env LD_PRELOAD="$tcmalloc" \
                "$py" bench/network/network_pytorch.py bench --seconds "$seconds" --variant channels_last --label channels_last+tcmalloc
        fi
    done
}

finetune() {
    echo "bench-network: fine-tune 500 x 5" >&2
    # The first 500 training images (and 100 test images: digitctl train tests after each
    # epoch, outside the epoch's timing) as an MNIST folder for `digitctl train`.
    "$py" - "$mnist" "$tmp/mnist500" <<'EOF'
import gzip, os, sys
source, target = sys.argv[1], sys.argv[2]
os.makedirs(target)
for kind, count in (("train", 500), ("t10k", 100)):
    for what, header in (("images", 16), ("labels", 8)):
        name = f"{kind}-{what}-idx{3 if what == 'images' else 1}-ubyte"
        data = bytearray(gzip.open(f"{source}/{name}.gz").read())
        data[4:8] = count.to_bytes(4, "big")
        size = 784 if what == "images" else 1
        open(f"{target}/{name}", "wb").write(bytes(data[:header + count * size]))
EOF
    for r in $(seq 1 "$rounds"); do
        measured finetune /dev/null "$ctl" train --mnist "$tmp/mnist500" --epochs 5 --batch 64 --seed "$r" \
            --out "$tmp/finetune.digitd-model" 2>"$tmp/swift-finetune-$r.txt"
    done
    measured finetune "$tmp/pytorch-finetune.jsonl" "$py" bench/network/network_pytorch.py finetune \
        --mnist "$mnist" --weights "$weights" --repeat "$rounds"
}

train_epoch() {
    echo "bench-network: one epoch of 60k, each side, for img/s and peak RSS" >&2
    measured train-epoch /dev/null /usr/bin/time -v -o "$tmp/swift-train.time" "$ctl" train --mnist "$mnist" \
        --epochs 1 --batch 64 --out "$tmp/epoch.digitd-model" 2>"$tmp/swift-train.txt"
    measured train-epoch "$tmp/pytorch-train.jsonl" /usr/bin/time -v -o "$tmp/pytorch-train.time" \
        "$py" bench/network/network_pytorch.py train-epoch --mnist "$mnist"
    /usr/bin/time -v -o "$tmp/import.time" "$py" -c 'import torch'
}

evaluate() {
    echo "bench-network: whole-process eval" >&2
    local swift_eval=("$ctl" eval --mnist "$mnist" --model "$model")
    local torch_eval=("$py" bench/network/eval_pytorch.py --mnist "$mnist" --weights "$weights")
    /usr/bin/time -v -o "$tmp/eval-swift.time" "${swift_eval[@]}" >"$tmp/eval-swift.txt"
    /usr/bin/time -v -o "$tmp/eval-pytorch.time" "${torch_eval[@]}" >"$tmp/eval-pytorch.txt"
    if command -v hyperfine >/dev/null; then
        hyperfine -N --style basic --warmup 1 --runs "$eval_runs" --export-json "$tmp/eval.json" \
            "${swift_eval[*]}" "${torch_eval[*]}" >&2
    else
        for r in $(seq 1 "$eval_runs"); do
            for side in swift pytorch; do
                if [ $side = swift ]; then cmd=("${swift_eval[@]}"); else cmd=("${torch_eval[@]}"); fi
                /usr/bin/time -f "$side %e" -a -o "$tmp/eval-times.txt" "${cmd[@]}" >/dev/null
            done
        done
    fi
}

load_start=$(loadavg)
phase throughput throughput
phase finetune finetune
phase train-epoch train_epoch
phase eval evaluate
load_end=$(loadavg)

bench_machine
torch_versions=$("$py" -c 'import re, torch, numpy
onednn = re.search(r"MKL-DNN (v[0-9.]+)", torch.__config__.show())
print(f"torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}, oneDNN {onednn[1] if onednn else 0}), numpy {numpy.__version__}")' 2>/dev/null || echo "torch ?")
acc_swift=$(sed -n 's/^accuracy: //p' "$tmp/eval-swift.txt")
acc_torch=$(sed -n 's/^accuracy: //p' "$tmp/eval-pytorch.txt")
mallocs=""
[ -n "$jemalloc" ] && mallocs+=" jemalloc $(dpkg-query -W -f='${Version}' libjemalloc2 2>/dev/null)"
[ -n "$tcmalloc" ] && mallocs+=" tcmalloc $(dpkg-query -W -f='${Version}' libtcmalloc-minimal4 2>/dev/null)"

cat >"$tmp/header.txt" <<EOF
## Network engine vs PyTorch, same run ($(date -u '+%Y-%m-%d %H:%M UTC'))

- CPU: **$cpu_model** (family $cpu_family, model $cpu_modelno), AVX-512: **$avx512**, $cores cores online; 2 threads each side, no pinning
- load average (1/5/15 min): $load_start at the start, $load_end at the end (per phase in the last column, with the share of the cores other processes used while each command ran: /proc/stat busy time minus the command's own CPU time) — the cores are shared with other engineers' builds and tests, so figures are noisy; (±N%) marks a median whose runs spread more than 5 %
- Swift $swift_version; $torch_versions; tuned malloc:${mallocs:- none}${malloc_note:+ —$malloc_note}
- throughput: NetworkBench and network_pytorch.py bench, $seconds s per measurement after one warm-up call, $rounds interleaved rounds, median; random images in [0,1]
- eval: \`digitctl eval\` with $model_note ($acc_swift) vs \`eval_pytorch.py\` with the reference seedcnn.f32 ($acc_torch; layout.txt says 99.10%): different weights, same network and work
- command: \`make bench-network\` (bench/network/network.sh; BENCH_SECONDS=$seconds BENCH_ROUNDS=$rounds BENCH_EVAL_RUNS=$eval_runs)
EOF

rm -rf "$raw"
mkdir -p "$raw"
cp "$tmp"/*.txt "$tmp"/*.jsonl "$tmp"/*.time "$raw"/ 2>/dev/null || true
rm -f "$raw/own.time"
[ -e "$tmp/eval.json" ] && cp "$tmp/eval.json" "$raw"/
"$py" bench/network/network_report.py "$tmp" "$tmp/header.txt" | tee "$out/network.md"
echo "bench-network: wrote $out/network.md (raw outputs in $raw/)" >&2
