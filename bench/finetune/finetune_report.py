"""bench-out/finetune.md from bench/finetune/finetune.sh's results.jsonl: the header, then the tables.

    finetune_report.py RESULTS.jsonl HEADER.md
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/
from common.report import median, median_text, ratio, read_header, read_jsonl, verdict  # noqa: E402


def pct(x, places=1):
    return f"{100 * x:.{places}f}%"


def main() -> int:
    rows = read_jsonl(sys.argv[1])
    speed = {side: [r for r in rows if r["side"] == side and r["phase"] == "speed"] for side in ("digitd", "pytorch")}
    ok = {side: [r for r in runs if r["report"].get("seconds") is not None] for side, runs in speed.items()}
    out = read_header(sys.argv[2]) + [""]

    secs = {s: [r["report"]["seconds"] for r in ok[s]] for s in ok}
    walls = {s: [r["wall"] for r in ok[s]] for s in ok}
    others = {s: [r["others_share"] for r in speed[s]] for s in speed}
    speedup = median(secs["pytorch"]) / median(secs["digitd"]) if secs["digitd"] and secs["pytorch"] else None

    def cell(values, fmt="{:.2f}"):
        return median_text(values, fmt)

    def counts(side):
        r = ok[side][0]["report"] if ok[side] else {}
        return f"{r.get('trained', '?')} + {r.get('replay', '?')} / {r.get('heldOut', '?')}"

    def gate(side, key):
        places = 2 if key == "general" else 1
        pairs = [f"{pct(r['report']['before'][key], places)} → {pct(r['report']['after'][key], places)}" for r in ok[side]
                 if r["report"].get("before") and r["report"].get("after")]
        return ", ".join(pairs) or "—"

    out += [
        "| fine-tune, 500 corrections × 10 epochs | digitd | PyTorch | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| training + gate evaluation, s (median of {len(secs['digitd'])} / {len(secs['pytorch'])}) | {cell(secs['digitd'])} | {cell(secs['pytorch'])} | "
        + (f"**{speedup:.2f}x faster**" if speedup else "—") + " |",
        f"| whole command, s | {cell(walls['digitd'])} | {cell(walls['pytorch'])} | {ratio(median(walls['pytorch']), median(walls['digitd']))} |",
        f"| trained on corrections + replay / held out | {counts('digitd')} | {counts('pytorch')} | |",
        f"| held-out corrections, base → candidate, per run | {gate('digitd', 'heldOut')} | {gate('pytorch', 'heldOut')} | |",
        f"| MNIST test (2000), base → candidate, per run | {gate('digitd', 'general')} | {gate('pytorch', 'general')} | |",
        f"| digitd verdict per run | {', '.join(r['report'].get('state', '?') for r in speed['digitd'])} | | |",
        f"| others' share of the cores, median | {cell(others['digitd'], '{:.0%}')} | {cell(others['pytorch'], '{:.0%}')} | |",
        "",
    ]

    idle = [r for r in rows if r["phase"] == "ingest-idle" and "files_per_s" in r["result"]]
    busy_all = [r for r in rows if r["phase"] == "ingest-busy" and "files_per_s" in r["result"]]
    busy = [r for r in busy_all if r["finetune_state_after"] == "running" and r["epoch_after"] < r["epochs"]]
    fps_idle = [r["result"]["files_per_s"] for r in idle]
    fps_busy = [r["result"]["files_per_s"] for r in busy]
    share = median(fps_busy) / median(fps_idle) if fps_idle and fps_busy else None
    files = (idle or busy_all or [{"result": {"files": "?"}}])[0]["result"]["files"]
    out += [
        f"| ingestion, {files} 28x28 PNGs at once | idle | during a fine-tune | busy / idle |",
        "| --- | ---: | ---: | ---: |",
        f"| files/s (median of {len(fps_idle)} / {len(fps_busy)}) | {cell(fps_idle, '{:,.0f}')} | {cell(fps_busy, '{:,.0f}')} | "
        + (f"**{share:.0%}**" if share is not None else "—") + " |",
        f"| digitd CPU, cores used | {cell([r['result']['cores_used'] for r in idle])} | {cell([r['result']['cores_used'] for r in busy])} | |",
        f"| fine-tune epoch at the first rename → at the last row | | "
        + ", ".join(f"{r['epoch_before']} → {r['epoch_after']} of {r['epochs']}" for r in busy_all) + " | |",
        f"| others' share of the cores, median | {cell([r['result']['others_share'] for r in idle], '{:.0%}')} | "
        f"{cell([r['result']['others_share'] for r in busy], '{:.0%}')} | |",
        "",
    ]
    discarded = len(busy_all) - len(busy)
    if discarded:
        out += [f"{discarded} busy run(s) discarded: the fine-tune had finished before the last row.", ""]

    def goal(value, least):
        return verdict(None if value is None else value >= least)

    out += [
        "| goal | measured | |",
        "| --- | ---: | --- |",
        f"| fine-tune ≥ 1.5x faster than PyTorch | {f'{speedup:.2f}x' if speedup else '—'} | {goal(speedup, 1.5)} |",
        f"| ingestion during a fine-tune ≥ 50% of idle | {f'{share:.0%}' if share is not None else '—'} | {goal(share, 0.5)} |",
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
