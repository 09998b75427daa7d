# Sourced by every bench/*/*.sh after `cd` to the repository: the settings they share,
# the git-ignored .venv-bench with torch (the CPU wheel on the machine image) and the
# given Python packages, and the release digitd and digitctl.
#
#   $swift, $venv, $out and the scratch array (SwiftPM --scratch-path from BENCH_SCRATCH)
#   bench_venv NAME "import list" package...   e.g. bench_venv bench-pipeline "numpy, PIL" numpy pillow
#                                              sets $py
#   bench_build_daemon NAME                    sets $digitd and $ctl
swift=${SWIFT:-swift}
venv=.venv-bench
out=bench-out
scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")

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

bench_build_daemon() {
    echo "$1: building digitd and digitctl (release)" >&2
    "$swift" build -c release "${scratch[@]}" --product digitd >&2
    "$swift" build -c release "${scratch[@]}" --product digitctl >&2
    local binpath
    binpath=$("$swift" build -c release "${scratch[@]}" --show-bin-path)
    digitd="$binpath/digitd"
    ctl="$binpath/digitctl"
}
