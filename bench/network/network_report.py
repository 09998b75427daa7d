"""Turns the raw outputs bench/network/network.sh collects into the Markdown table `make bench`
prints and writes to bench-out/network.md.

    network_report.py DIR HEADER.txt

DIR holds (all written by network.sh):
    swift-bench-*.txt        NetworkBench output, one file per round
    pytorch-bench.jsonl      network_pytorch.py bench, every variant and round
    swift-finetune-*.txt     stderr of `digitctl train` on the 500-image set, per run
    pytorch-finetune.jsonl   network_pytorch.py finetune
    swift-train.txt/.time    `digitctl train --epochs 1` stderr / `/usr/bin/time -v`
    pytorch-train.jsonl/.time  network_pytorch.py train-epoch / `/usr/bin/time -v`
    import.time              `/usr/bin/time -v python -c "import torch"`
    eval.json                hyperfine --export-json (or eval-times.txt: name seconds)
    eval-swift.time, eval-pytorch.time   `/usr/bin/time -v` of one eval each
    load.txt                 phase, load average before, after
    contention.txt           phase, share of the cores other processes used during one command

Ratios are Swift ÷ PyTorch for rates and PyTorch ÷ Swift for times: above 1 means
Swift is faster. Medians over rounds; (±N%) marks runs spreading more than 5 %.
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/
from common.report import median, median_text, ratio, read_header, read_jsonl, verdict  # noqa: E402

PEAK_GFLOPS = float(os.environ.get("BENCH_PEAK_GFLOPS", "350"))
PEAK_SOURCE = ("set by BENCH_PEAK_GFLOPS for this run" if "BENCH_PEAK_GFLOPS" in os.environ
               else "the issue's measured peak for the AVX-512 Xeon of this machine class (2 threads; BENCH_PEAK_GFLOPS overrides)")
FORWARD_MFLOP = 8.48   # per image, inference
TRAINING_MFLOP = 25.0  # per image, forward + backward


def median_row(values):
    """A measurement's runs and their median (None without runs)."""
    return {"value": median(values), "runs": values} if values else None


def fmt_rate(row):
    return median_text(row["runs"], "{:,.0f}") if row else "—"


def swift_bench(directory):
    """{(work, batch): {"ips": [...], "cpu": [...]}} from NetworkBench's text."""
    out = {}
    pattern = re.compile(r"(inference|training)\s+batch\s+(\d+):\s+(\d+) img/s\s+(\d+) img/CPU-s")
    kernels = None
    for path in sorted(glob.glob(f"{directory}/swift-bench-*.txt")):
        for line in open(path):
            if line.startswith("kernels:"):
                kernels = line.strip()
            m = pattern.search(line)
            if m:
                slot = out.setdefault((m[1], int(m[2])), {"ips": [], "cpu": []})
                slot["ips"].append(float(m[3]))
                slot["cpu"].append(float(m[4]))
    return out, kernels


def pytorch_bench(directory):
    """{variant: {(work, batch): {"ips": [...], "cpu": [...]}}}"""
    out = {}
    for r in read_jsonl(f"{directory}/pytorch-bench.jsonl"):
        slot = out.setdefault(r["variant"], {}).setdefault((r["work"], r["batch"]), {"ips": [], "cpu": []})
        slot["ips"].append(r["ips"])
        slot["cpu"].append(r["cpu_ips"])
    return out


def epoch_rates(text):
    """img/s of each epoch line `digitctl train` prints."""
    return [float(x) for x in re.findall(r"^epoch \d+/\d+:.*\((\d+) img/s\)", text, re.M)]


def max_rss_mib(path):
    if not os.path.exists(path):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path).read())
    return int(m[1]) / 1024 if m else None


def main(directory, header_path):
    out = read_header(header_path)
    swift, kernels = swift_bench(directory)
    torch_runs = pytorch_bench(directory)
    loads = {}
    if os.path.exists(f"{directory}/load.txt"):
        for line in open(f"{directory}/load.txt"):
            phase, before, after = line.rstrip("\n").split("\t")
            loads[phase] = f"{before} → {after}"
    others = {}
    if os.path.exists(f"{directory}/contention.txt"):
        for line in open(f"{directory}/contention.txt"):
            phase, share = line.split()
            others.setdefault(phase, []).append(float(share))
    for phase, shares in others.items():
        text = f"others {statistics.median(shares):.0%}, max {max(shares):.0%} of the cores"
        loads[phase] = f"{loads[phase]}; {text}" if phase in loads else text
    busiest = max((max(v) for v in others.values()), default=0.0)
    if busiest > 0.15:
        out.append(f"- **busy machine: other processes took up to {busiest:.0%} of the cores during a measurement; "
                   "PyTorch's OpenMP threads slow down far more than the Swift engine under contention, so the ratios "
                   "below overstate Swift. Rerun when the machine is quiet.**")
    if kernels:
        out.append(f"- Swift engine: {kernels}")

    def med(slot, key):
        return median_row(slot[key]) if slot else None

    default = torch_runs.get("nchw", {})
    goals = []

    out += ["", "### network: Swift engine vs PyTorch, same run", "",
            "| work | Swift | PyTorch default (NCHW) | PyTorch best | Swift ÷ default | Swift ÷ best "
            "| Swift % of peak | PyTorch best % of peak | load (1/5/15 min) before → after; others' CPU meanwhile |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|"]

    rate_rows = [("inference", 1), ("inference", 64), ("inference", 256), ("training", 64)]
    best_variant = {}
    for work, batch in rate_rows:
        s = med(swift.get((work, batch)), "ips")
        d = med(default.get((work, batch)), "ips")
        best, best_name = None, None
        for variant, rows in torch_runs.items():
            r = med(rows.get((work, batch)), "ips")
            if r and (best is None or r["value"] > best["value"]):
                best, best_name = r, variant
        best_variant[(work, batch)] = best_name
        mflop = FORWARD_MFLOP if work == "inference" else TRAINING_MFLOP
        peak = lambda r: f"{r['value'] * mflop * 1e6 / (PEAK_GFLOPS * 1e9):.1%}" if r else "—"
        speedup = lambda a, b: ratio(a["value"], b["value"]) if a and b else "—"
        label = f"{work} batch {batch} (img/s)" if work == "inference" else f"training batch {batch}, Adam, random images (img/s)"
        if batch == 1 and s:
            label += f"; latency Swift {1000 / s['value']:.3f} ms"
            if d:
                label += f", PyTorch {1000 / d['value']:.3f} ms"
        out.append(f"| {label} | {fmt_rate(s)} | {fmt_rate(d)} | {fmt_rate(best)} ({best_name}) | {speedup(s, d)} "
                   f"| {speedup(s, best)} | {peak(s)} | {peak(best)} | {loads.get('throughput', '')} |")
        if s and d and best:
            rd, rb = s["value"] / d["value"], s["value"] / best["value"]
            if work == "inference" and batch in (64, 256):
                goals.append(f"inference batch {batch}: {rb:.2f}x PyTorch best (goal ≥ 1.0x: {verdict(rb >= 1.0)}), "
                             f"{rd:.2f}x PyTorch default (goal ≥ 2x: {verdict(rd >= 2.0)})")
            elif work == "inference":
                goals.append(f"batch-1 latency: {1 / rd:.2f} of PyTorch default's, {1 / rb:.2f} of PyTorch best's "
                             f"(goal ≤ 0.5: {verdict(rd >= 2.0)} vs default, {verdict(rb >= 2.0)} vs best)")
            else:
                goals.append(f"training batch 64 (random images): {rd:.2f}x PyTorch default's img/s "
                             f"(goal ≥ 2x: {verdict(rd >= 2.0)}); {rb:.2f}x PyTorch best ({best_name})")

    # One real epoch of 60k, augmented, and its peak RSS.
    swift_epoch_text = open(f"{directory}/swift-train.txt").read() if os.path.exists(f"{directory}/swift-train.txt") else ""
    swift_epoch = epoch_rates(swift_epoch_text)
    torch_epoch = read_jsonl(f"{directory}/pytorch-train.jsonl")
    se = swift_epoch[0] if swift_epoch else None
    te = torch_epoch[0]["ips"] if torch_epoch else None
    epoch_ratio = ratio(se, te)
    seconds = lambda ips: f" ({60000 / ips:.1f} s)" if ips else ""
    out.append(f"| one epoch of MNIST's 60k, batch 64, augmented, Adam: `digitctl train --epochs 1` vs `network_pytorch.py train-epoch` (img/s) "
               f"| {se or 0:,.0f}{seconds(se)} | {te or 0:,.0f}{seconds(te)} | — | {epoch_ratio} | — "
               f"| {se * TRAINING_MFLOP * 1e6 / (PEAK_GFLOPS * 1e9):.1%} | — | {loads.get('train-epoch', '')} |" if se and te else
               "| one epoch of 60k (img/s) | — | — | — | — | — | — | — | |")

    # Fine-tune 500 × 5.
    swift_ft = []
    for path in sorted(glob.glob(f"{directory}/swift-finetune-*.txt")):
        rates = epoch_rates(open(path).read())
        if len(rates) == 5:
            swift_ft.append(sum(500 / r for r in rates))
    torch_ft = read_jsonl(f"{directory}/pytorch-finetune.jsonl")
    sf = median_row(swift_ft)
    tf = median_row(torch_ft[0]["runs"][1:] or torch_ft[0]["runs"]) if torch_ft else None
    if sf and tf:
        r = tf["value"] / sf["value"]
        out.append(f"| fine-tune 500 images × 5 epochs, batch 64, augmented (s, lower is better) "
                   f"| {median_text(sf['runs'], '{:.3f}')} "
                   f"| {median_text(tf['runs'], '{:.3f}')} "
                   f"(cold first run {torch_ft[0]['cold_seconds']:.3f}) | — | {r:.2f}x faster | — | — | — | {loads.get('finetune', '')} |")
        goals.append(f"fine-tune 500 × 5: {r:.2f}x faster than PyTorch (goal ≥ 2x: {verdict(r >= 2.0)})")

    # Peak RSS.
    swift_rss = max_rss_mib(f"{directory}/swift-train.time")
    torch_rss = max_rss_mib(f"{directory}/pytorch-train.time")
    import_rss = max_rss_mib(f"{directory}/import.time")
    if swift_rss and torch_rss:
        out.append(f"| peak RSS, training (the 60k epoch above) (MiB) | {swift_rss:.0f} | {torch_rss:.0f} "
                   f"(`import torch` alone: {import_rss:.0f}) | — | {torch_rss / swift_rss:.1f}x less | — | — | — | |")
        goals.append(f"`digitctl train` peak RSS: {swift_rss:.0f} MiB (goal ≤ 200 MiB: {verdict(swift_rss <= 200)})")
    eval_swift_rss = max_rss_mib(f"{directory}/eval-swift.time")
    eval_torch_rss = max_rss_mib(f"{directory}/eval-pytorch.time")
    if eval_swift_rss and eval_torch_rss:
        out.append(f"| peak RSS, eval of the 10k test set (MiB) | {eval_swift_rss:.0f} | {eval_torch_rss:.0f} | — "
                   f"| {eval_torch_rss / eval_swift_rss:.1f}x less | — | — | — | |")

    # Whole-process eval.
    evals = {}
    if os.path.exists(f"{directory}/eval.json"):
        for result in json.load(open(f"{directory}/eval.json"))["results"]:
            name = "swift" if "digitctl" in result["command"] else "pytorch"
            evals[name] = (result["mean"], result["stddev"] or 0.0, result["median"], len(result["times"]))
    elif os.path.exists(f"{directory}/eval-times.txt"):
        runs = {}
        for line in open(f"{directory}/eval-times.txt"):
            name, seconds = line.split()
            runs.setdefault(name, []).append(float(seconds))
        for name, times in runs.items():
            evals[name] = (statistics.mean(times), statistics.pstdev(times), statistics.median(times), len(times))
    if "swift" in evals and "pytorch" in evals:
        (sm, ss, smed, sn), (pm, ps, pmed, pn) = evals["swift"], evals["pytorch"]
        r = pm / sm
        out.append(f"| eval whole process: `digitctl eval` vs `eval_pytorch.py` on the 10k test set (s, mean ± σ of {sn}/{pn}) "
                   f"| {sm:.3f} ± {ss:.3f} | {pm:.3f} ± {ps:.3f} | — | {r:.2f}x faster | — | — | — | {loads.get('eval', '')} |")
        goals.append(f"`digitctl eval` whole process: {r:.2f}x faster than eval_pytorch.py (goal ≥ 5x: {verdict(r >= 5.0)})")

    out += ["", f"Fraction of peak = img/s × {FORWARD_MFLOP} MFLOP (inference) or × {TRAINING_MFLOP} MFLOP (training) "
            f"÷ {PEAK_GFLOPS:.0f} GFLOP/s, {PEAK_SOURCE}. PyTorch best = the fastest of the variants below, row by row."]

    out += ["", "### goals", ""] + [f"- {g}" for g in goals]

    # Every variant, wall and CPU.
    out += ["", "### every variant (median img/s over rounds; img per CPU-second in brackets)", "",
            "| work | Swift | " + " | ".join(f"PyTorch {v}" for v in torch_runs) + " |",
            "|---|--:|" + "--:|" * len(torch_runs)]
    for work, batch in rate_rows:
        cells = []
        for slot in [swift.get((work, batch))] + [rows.get((work, batch)) for rows in torch_runs.values()]:
            w, c = med(slot, "ips"), med(slot, "cpu")
            cells.append(f"{fmt_rate(w)} [{c['value']:,.0f}]" if w and c else "—")
        out.append(f"| {work} batch {batch} | " + " | ".join(cells) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
