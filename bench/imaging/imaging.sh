#!/usr/bin/env bash
# `make bench`: decode+normalize images/s of the Imaging layer beside Pillow,
# on one core, on the same four synthetic files, in the same run.
#
# Prints a Markdown table (also written to bench-out/imaging.md, raw numbers to
# bench-out/imaging.jsonl) headed by the CPU model: a ratio only means something
# beside the machine it was measured on.
#
# Environment:
#   BENCH_SECONDS  timed seconds per file, variant and side (default 2, in 5 runs)
#   BENCH_CPU      the core to pin both sides to (default 0)
#   BENCH_SCRATCH  a SwiftPM --scratch-path (make sets .build-bench; unset: SwiftPM's own .build)
#   SWIFT          the swift driver (default swift)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${BENCH_SECONDS:-2}
cpu=${BENCH_CPU:-0}
. bench/common/common.sh

# Pillow and numpy in a private, git-ignored virtualenv.
if ! "$venv/bin/python" -c 'import PIL, numpy' 2>/dev/null; then
    echo "bench: creating $venv with pillow and numpy" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q pillow numpy >&2
fi
py="$venv/bin/python"

bench_build bench ImagingBench
bin="$binpath/ImagingBench"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" "$tmp/dump" "$out"
"$py" bench/imaging/make_imaging_inputs.py "$tmp/in"
files=("$tmp/in/digit28.png" "$tmp/in/digit80.png" "$tmp/in/digit300.jpg" "$tmp/in/page.jpg")

# One thread each: numpy must not start a BLAS pool behind our back.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
pin=(taskset -c "$cpu")
load_before=$(loadavg)

# Side by side per file and variant, so a burst of load from elsewhere falls
# on both sides of a ratio alike (a few seconds apart, not a minute).
: >"$tmp/results.jsonl"
for f in "${files[@]}"; do
    echo "bench: $(basename "$f")" >&2
    for variant in bytes file decode; do
        "${pin[@]}" "$bin" --seconds "$seconds" --variants "$variant" --dump "$tmp/dump" "$f" >>"$tmp/results.jsonl"
        "${pin[@]}" "$py" bench/imaging/imaging_pillow.py --seconds "$seconds" --variants "$variant" \
            --compare "$tmp/dump" "$f" >>"$tmp/results.jsonl"
    done
done
load_after=$(loadavg)

bench_machine
versions=$("$py" -c 'import PIL, numpy
from PIL import features
jpeg, zlib = features.version("libjpeg_turbo"), features.version("zlib_ng") or features.version("zlib")
print(f"Pillow {PIL.__version__} (libjpeg-turbo {jpeg}, zlib(-ng) {zlib}), numpy {numpy.__version__}")')
system_jpeg=$(dpkg-query -W -f='${Version}' libjpeg62-turbo 2>/dev/null || echo "?")
system_png=$(dpkg-query -W -f='${Version}' libpng16-16 2>/dev/null || echo "?")

cat >"$tmp/header.txt" <<EOF
## Imaging decode+normalize vs Pillow, one core ($(date -u '+%Y-%m-%d %H:%M UTC'))

- CPU: **$cpu_model** (family $cpu_family, model $cpu_modelno), AVX-512: **$avx512**, $cores cores online; both sides pinned with \`taskset -c $cpu\`
- load average (1/5/15 min): $load_before before, $load_after after — the cores are shared, so numbers are noisy while others build; (±N%) marks a median whose runs spread more than 5 %
- Swift $swift_version, Imaging on Debian libjpeg-turbo $system_jpeg / libpng $system_png; $versions
- $seconds s timed per file and variant and side (5 runs, median images/s) after 0.3 s warm-up
- command: \`make bench\` (bench/imaging/imaging.sh; BENCH_SECONDS=$seconds BENCH_CPU=$cpu)
- files: synthetic dark strokes on light noisy paper: digit28.png 28x28 gray, digit80.png 80x80 RGB, digit300.jpg 300x300 RGB q90, page.jpg 2000x2800 RGB q90 with a ~500 px digit
- Pillow = \`Image.open(BytesIO(b)).convert("L")\` + numpy normalization; Pillow+draft adds \`draft("L", (w//d, h//d))\` for JPEGs, d = the DCT scale Imaging picks (4 for the page, 1 for 300x300: luminance-only decode)
EOF

cp "$tmp/results.jsonl" "$out/imaging.jsonl"
"$py" bench/imaging/imaging_report.py "$tmp/results.jsonl" "$tmp/header.txt" | tee "$out/imaging.md"
echo "bench: wrote $out/imaging.md" >&2
