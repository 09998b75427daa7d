"""Turns bench/pipeline/pipeline.sh's results.jsonl into the Markdown of bench-out/pipeline.md.

    pipeline_report.py RESULTS.jsonl HEADER.txt [--max-delay-ms N]

HEADER.txt holds the lines that go above the tables. Sides: digitd, python (the Python
watcher on inotify_simple) and python-watchdog (the same on watchdog). Ratios are
digitd / Python for rates (above 1: digitd faster) and Python / digitd for times (above
1: digitd sooner), against the faster Python side. Percentiles are nearest-rank (p99 of
200 samples = the 198th smallest).
"""
import argparse
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/
from common.report import median_text, read_header, read_jsonl, verdict  # noqa: E402

# Goals from the issue.
GOAL_PNG_RATIO = 5.0
GOAL_LATENCY_P99_MS = 20.0  # plus batch.max_delay_ms
GOAL_RSS_IDLE_MIB = 64
GOAL_RSS_BACKLOG_MIB = 256

SIDES = ("digitd", "python", "python-watchdog")
SIDE_NAMES = {"digitd": "digitd", "python": "Python (inotify)", "python-watchdog": "Python (watchdog)"}
KINDS = {"png": "28x28 PNG", "jpeg": "300x300 JPEG"}


def pct(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def mib(kib):
    return kib / 1024


def steady(batches):
    """Batch sizes of the middle 80 % of the files (no ramp-up, no tail)."""
    total = sum(batches)
    kept, seen = [], 0
    for b in batches:
        if seen >= 0.1 * total and seen + b <= 0.9 * total:
            kept.append(b)
        seen += b
    return kept or batches


def histogram(batches):
    buckets = {}
    for b in batches:
        low = 1 << (b.bit_length() - 1)
        key = "1" if low == 1 else f"{low}-{2 * low - 1}"
        buckets[key] = buckets.get(key, 0) + 1
    return " ".join(f"{k}:{buckets[k]}" for k in sorted(buckets, key=lambda k: int(k.split("-")[0])))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("header")
    parser.add_argument("--max-delay-ms", type=float, default=5)
    args = parser.parse_args()
    rows = read_jsonl(args.results)
    out = read_header(args.header)

    def get(side, phase):
        return [r for r in rows if r["side"] == side and r["phase"] == phase and "error" not in r["result"]]

    goals = []
    errors = [r for r in rows if "error" in r.get("result", {})]

    # ---- throughput
    out += ["", "### Throughput, inbox to CSV row (median of the rounds)", "",
            "| files | digitd files/s | Python (inotify) files/s | Python (watchdog) files/s | ratio | others |",
            "|---|--:|--:|--:|--:|--:|"]
    detail = []
    for kind, name in KINDS.items():
        runs = {side: get(side, kind) for side in SIDES}
        if not runs["digitd"]:
            continue
        rates = {side: [r["result"]["files_per_s"] for r in runs[side]] for side in SIDES}
        best_py = max((statistics.median(rates[s]) for s in SIDES[1:] if rates[s]), default=None)
        ratio = statistics.median(rates["digitd"]) / best_py if best_py else None
        others = max(r["result"]["others_share"] for side in SIDES for r in runs[side])
        n = runs["digitd"][0]["result"]["files"]
        out.append(f"| {name} × {n:,} | {median_text(rates['digitd'])} | {median_text(rates['python'])} | {median_text(rates['python-watchdog'])} "
                   f"| **{ratio:.1f}x** | ≤ {others:.0%} |" if ratio else f"| {name} × {n:,} | {median_text(rates['digitd'])} | — | — | — | |")
        if kind == "png" and ratio:
            goals.append(f"- files/s on 28x28 PNGs: {ratio:.1f}x the faster Python pipeline, goal ≥ {GOAL_PNG_RATIO:.0f}x: "
                         f"{verdict(ratio >= GOAL_PNG_RATIO, bold_met=True)}")
        for side in SIDES:
            if not runs[side]:
                continue
            rs = [r["result"] for r in runs[side]]
            all_batches = [b for r in runs[side] for b in r["batches"]]
            mid = [b for r in runs[side] for b in steady(r["batches"])]
            hist = histogram(all_batches)
            own = [r["status"]["batchSizes"] for r in runs[side] if r.get("status")]
            if own:  # digitd's own histogram (digitctl status), which should say the same
                total = {}
                for h in own:
                    for k, v in h.items():
                        total[k] = total.get(k, 0) + v
                keys = sorted(total, key=lambda k: int(k.split("-")[0].rstrip("+")))
                theirs = " ".join(f"{k}:{total[k]}" for k in keys)
                if theirs != hist:
                    hist += f" (digitctl status: {theirs})"
            detail.append(f"| {name} | {SIDE_NAMES[side]} | {statistics.median(r['cpu_ms_per_file'] for r in rs):.3f} "
                          f"| {statistics.median(r['cores_used'] for r in rs):.2f} "
                          f"| {statistics.median(r['first_row_s'] for r in rs) * 1000:.0f} ms "
                          f"| {statistics.median(mid):.0f} | {statistics.mean(mid):.1f} | {hist} |")
    out += ["", "How: CPU = the watcher's user+sys over the run (all threads) per file; cores busy = that CPU "
            "time over the wall time; batch sizes: steady = the batches holding the middle 80 % of the files "
            "(digitd's from its CSV, one processed_at per batch; Python's from its batch log), histogram "
            "(size:count) over all rounds.", "",
            "| files | side | CPU ms/file | cores busy | first row | steady batch median | mean | histogram |",
            "|---|---|--:|--:|--:|--:|--:|---|"] + detail

    # ---- latency
    lat = {side: get(side, "latency") for side in SIDES}
    if lat["digitd"]:
        n = lat["digitd"][0]["result"]["samples"]
        out += ["", f"### Idle latency: one 28x28 PNG renamed into an idle inbox, {n} drops 30-60 ms apart "
                f"(digitd batch.max_delay_ms = {args.max_delay_ms:g})", "",
                "| side | to CSV row p50 | p99 | max | to done/ p50 | p99 | CPU ms/file |",
                "|---|--:|--:|--:|--:|--:|--:|"]
        for side in SIDES:
            if not lat[side]:
                continue
            r = lat[side][0]["result"]
            a, b = r["row_ms"], r["done_ms"]
            out.append(f"| {SIDE_NAMES[side]} | {pct(a, 50):.1f} ms | {pct(a, 99):.1f} ms | {max(a):.1f} ms "
                       f"| {pct(b, 50):.1f} ms | {pct(b, 99):.1f} ms | {r['cpu_ms_per_file']:.2f} |")
        others = max(x[0]["result"]["others_share"] for x in lat.values() if x)
        d50 = pct(lat["digitd"][0]["result"]["row_ms"], 50)
        py50 = [pct(lat[s][0]["result"]["row_ms"], 50) for s in SIDES[1:] if lat[s]]
        out += ["", "To CSV row: from just before the rename to the moment the load script, woken by inotify on "
                "results/, has read the row back (written, not yet fsync'ed); to done/: the file's IN_MOVED_TO in "
                "done/, after the fsync. " + (f"p50 ratio against the faster Python: {min(py50) / d50:.1f}x. " if py50 else "")
                + f"Others used ≤ {others:.0%} of the cores meanwhile."]
        p99 = pct(lat["digitd"][0]["result"]["row_ms"], 99)
        limit = GOAL_LATENCY_P99_MS + args.max_delay_ms
        goals.append(f"- idle latency p99 (rename → CSV row): {p99:.1f} ms, goal ≤ {GOAL_LATENCY_P99_MS:.0f} ms + "
                     f"max_delay {args.max_delay_ms:g} ms = {limit:g} ms: {verdict(p99 <= limit, bold_met=True)}")

    # ---- memory
    out += ["", "### Memory (MiB)", "", "| | " + " | ".join(SIDE_NAMES[s] for s in SIDES) + " |", "|---|--:|--:|--:|"]
    backlog = {side: get(side, "backlog") for side in SIDES}
    bn = backlog["digitd"][0]["result"]["files"] if backlog["digitd"] else 0
    png_n = get("digitd", "png")[0]["result"]["files"] if get("digitd", "png") else 0
    lat_n = lat["digitd"][0]["result"]["samples"] if lat["digitd"] else 0

    def cell(side, what):
        l, p, b = lat[side], get(side, "png"), backlog[side]
        value = {
            "idle": l and mib(l[0]["rss_idle_start_kib"]),
            "idle_after": l and mib(l[0]["rss_idle_after_kib"]),
            "png_hwm": p and max(mib(r["result"]["hwm_kib"]) for r in p),
            "backlog_start": b and mib(b[0]["rss_idle_start_kib"]),
            "backlog_hwm": b and mib(b[0]["result"]["hwm_kib"]),
            "backlog_end": b and mib(b[0]["result"]["rss_series"][-1][1]),
        }[what]
        return "—" if not value else f"{value:.1f}"

    for what, label in (("idle", "VmRSS idle, 2 s after ready"),
                        ("idle_after", f"VmRSS idle again, 2 s after the {lat_n} drops"),
                        ("png_hwm", f"VmHWM after a {png_n:,}-PNG throughput run (highest of the rounds)"),
                        ("backlog_start", f"VmRSS idle before the {bn:,}-file backlog"),
                        ("backlog_hwm", f"VmHWM working off {bn:,} PNGs renamed in at once"),
                        ("backlog_end", "VmRSS as the backlog's last row was written")):
        out.append(f"| {label} | " + " | ".join(cell(s, what) for s in SIDES) + " |")
    if lat["digitd"]:
        l = lat["digitd"][0]
        idle = mib(max(l["rss_idle_start_kib"], l["rss_idle_after_kib"]))
        goals.append(f"- digitd RSS idle: {idle:.1f} MiB (the higher of after start / after the drops), "
                     f"goal ≤ {GOAL_RSS_IDLE_MIB} MiB: {verdict(idle <= GOAL_RSS_IDLE_MIB, bold_met=True)}")
    if backlog["digitd"]:
        b = backlog["digitd"][0]
        r = b["result"]
        hwm = mib(r["hwm_kib"])
        note = "" if bn >= 100_000 else f" (with {bn:,} files, not the goal's 100,000: BENCH_BACKLOG_FILES)"
        goals.append(f"- digitd RSS under a {bn:,}-file backlog: peak {hwm:.1f} MiB, goal ≤ {GOAL_RSS_BACKLOG_MIB} MiB: "
                     f"{verdict(hwm <= GOAL_RSS_BACKLOG_MIB, bold_met=True)}{note}")
        mid = steady(b["batches"])
        out += ["", f"Backlog run: digitd worked off {bn:,} PNGs in {r['seconds']:.1f} s "
                f"({r['files_per_s']:,.0f} files/s, {r['cpu_ms_per_file']:.3f} CPU ms/file, first row after "
                f"{r['first_row_s'] * 1000:.0f} ms, the renames took {r['rename_s']:.1f} s), steady batch median "
                f"{statistics.median(mid):.0f}, histogram {histogram(b['batches'])}; others used {r['others_share']:.0%} "
                "of the cores."]
        for side in SIDES[1:]:
            if backlog[side]:
                pr = backlog[side][0]["result"]
                out[-1] += (f" {SIDE_NAMES[side]}: {pr['seconds']:.1f} s ({pr['files_per_s']:,.0f} files/s; "
                            f"digitd {r['files_per_s'] / pr['files_per_s']:.1f}x).")
        series = r.get("rss_series") or []
        if series:
            step = max(1, len(series) // 12)
            points = series[::step]
            if points[-1] is not series[-1]:
                points.append(series[-1])
            out += ["", "digitd VmRSS during the backlog (seconds after the first rename: MiB, rows written): "
                    + ", ".join(f"{t:.1f} s: {mib(k):.0f} ({n:,})" for t, k, n in points)]

    out += ["", "### Goals", ""] + goals
    for r in errors:
        out.append(f"- {SIDE_NAMES.get(r['side'], r['side'])} {r['phase']}: **failed**: {r['result']['error']}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
