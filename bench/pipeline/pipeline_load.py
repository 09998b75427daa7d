"""The load side of `make bench-pipeline` (bench/pipeline/pipeline.sh): makes the synthetic scans,
renames them into a watcher's inbox and times the CSV rows, for digitd and for
bench/pipeline/pipeline_python.py alike (the watcher is a PID and a root folder to it).

    pipeline_load.py stage --kind png28|jpeg300 --count N --out DIR [--prefix P]
        N synthetic scans, every one different (paper noise, position), drawn like
        bench/imaging/make_imaging_inputs.py draws them (dark strokes on light noisy paper, never
        MNIST): png28 = 28x28 gray PNG, jpeg300 = 300x300 RGB JPEG quality 90.
    pipeline_load.py run --stage DIR --root DIR --pid PID --count N [--label L]
        renames the N files of DIR into ROOT/inbox at once (one process, back to back)
        and waits for N rows in ROOT/results/*.csv (inotify on results/, then reading the
        appended bytes). Prints one JSON object: seconds from the first rename to the
        last row, files/s, the first row's processed_at after the first rename, the watcher's user+sys CPU seconds over that span
        (/proc/PID/stat, all threads), its VmRSS sampled every 0.25 s and VmHWM at the
        end, and the share of the cores other processes used meanwhile (/proc/stat busy
        time less the watcher's and this script's own).
    pipeline_load.py latency --stage DIR --root DIR --pid PID --samples N [--gap-ms G]
        drops one file at a time (rename into the inbox) into an idle watcher and
        times, from just before the rename: its row appearing in the CSV (inotify
        IN_MODIFY on results/, then the row read back) and the file arriving in done/
        (IN_MOVED_TO); then idles G..2G ms (random) before the next one.
    pipeline_load.py restage --root DIR --stage DIR
        moves ROOT/done/* back to the stage folder for the other side's run.
"""
import argparse
import json
import os
import random
import sys
import time
from io import BytesIO
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/

HZ = os.sysconf("SC_CLK_TCK")


# ---- synthetic scans --------------------------------------------------------

def _render(job):
    """Files start..end-1 of one kind into a folder (a worker of `stage`)."""
    import numpy as np
    from PIL import Image
    from imaging.make_imaging_inputs import INK, digit_patch, paper, tinted_rgb

    kind, out, prefix, start, end = job
    side, digit = (28, 22) if kind == "png28" else (300, 210)
    coverage = 1 - np.asarray(digit_patch(digit), dtype=np.float32) / 255  # 1 = ink
    ext = "png" if kind == "png28" else "jpg"
    for i in range(start, end):
        rng = np.random.default_rng(1_000_003 * (side + 1) + i)
        page = paper(side, side, rng)
        x, y = (int(v) for v in rng.integers(0, side - digit - 2, 2)) if side - digit > 2 else (3, 3)
        region = page[y:y + digit, x:x + digit]
        page[y:y + digit, x:x + digit] = region * (1 - coverage) + INK * coverage
        gray = np.clip(page, 0, 255).round().astype(np.uint8)
        buffer = BytesIO()
        if kind == "png28":
            Image.fromarray(gray, "L").save(buffer, "PNG")
        else:
            tinted_rgb(gray).save(buffer, "JPEG", quality=90)
        with open(os.path.join(out, f"{prefix}{i:06d}.{ext}"), "wb") as f:
            f.write(buffer.getbuffer())
    return end - start


def stage(args) -> int:
    os.makedirs(args.out, exist_ok=True)
    chunk = 2000
    jobs = [(args.kind, args.out, args.prefix, s, min(s + chunk, args.count)) for s in range(0, args.count, chunk)]
    with Pool(min(2, os.cpu_count() or 1)) as pool:
        done = sum(pool.map(_render, jobs))
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(json.dumps({"stage": args.kind, "files": done, "bytes": total}))
    return 0


# ---- /proc ------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """user + sys of all the process's threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def memory(pid: int) -> dict:
    """VmRSS and VmHWM in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def machine_busy() -> float:
    """Seconds all cores spent busy (user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / HZ


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system


# ---- watching results/ ------------------------------------------------------

class Results:
    """Rows appended to any CSV in a results folder, read as they arrive."""

    def __init__(self, folder: str, inotify=None):
        from inotify_simple import INotify, flags

        self.folder = folder
        self.offsets, self.tails = {}, {}
        self.rows = 0
        self.inotify = inotify or INotify()
        self.wd = self.inotify.add_watch(folder, flags.MODIFY | flags.CREATE | flags.MOVED_TO)

    def wait(self, timeout_ms: int) -> None:
        self.inotify.read(timeout=timeout_ms)

    def poll(self) -> list:
        """The first field of every row appended since the last call."""
        names = []
        for entry in sorted(os.listdir(self.folder)):
            if not entry.endswith(".csv"):
                continue
            path = os.path.join(self.folder, entry)
            offset = self.offsets.get(entry, 0)
            with open(path, "rb") as f:
                f.seek(offset)
                data = f.read()
            if not data:
                continue
            self.offsets[entry] = offset + len(data)
            text = self.tails.get(entry, b"") + data
            lines = text.split(b"\n")
            self.tails[entry] = lines.pop()
            for line in lines:
                if line.startswith(b"file,sha256,"):  # the header, once per file
                    continue
                names.append(line.split(b",", 1)[0].decode("utf-8", "replace"))
        self.rows += len(names)
        return names


def first_processed_at(folder: str, since: float):
    """The earliest processed_at (column 7, ISO 8601 UTC, ms) at or after `since` in the
    folder's CSVs, as Unix time."""
    import csv
    import datetime

    first = None
    for entry in os.listdir(folder):
        if entry.endswith(".csv"):
            with open(os.path.join(folder, entry), newline="", encoding="utf-8") as f:
                for row in csv.reader(f):
                    if len(row) >= 7 and row[0] != "file":
                        t = datetime.datetime.fromisoformat(row[6].replace("Z", "+00:00")).timestamp()
                        if t >= since - 0.001:
                            first = t if first is None else min(first, t)
    return first


def run(args) -> int:
    names = sorted(os.listdir(args.stage))[:args.count]
    if len(names) < args.count:
        sys.exit(f"run: {args.stage} holds {len(names)} files, {args.count} wanted")
    inbox = os.path.join(args.root, "inbox")
    results = Results(os.path.join(args.root, "results"))
    results.poll()
    before = results.rows
    results.rows = 0
    mem0 = memory(args.pid)
    cpu0, busy0, own0 = cpu_seconds(args.pid), machine_busy(), own_cpu()
    t0, t0_unix = time.perf_counter(), time.time()
    for name in names:
        os.rename(os.path.join(args.stage, name), os.path.join(inbox, name))
    renamed = time.perf_counter() - t0
    first_row = None
    series, rss_max, next_sample = [], mem0["VmRSS"], 0.0
    deadline = t0 + args.timeout
    while True:
        got = results.poll()
        now = time.perf_counter()
        if got and first_row is None:
            first_row = now - t0
        if results.rows >= args.count:
            break
        if now >= next_sample:
            m = memory(args.pid)
            rss_max = max(rss_max, m["VmRSS"])
            series.append((round(now - t0, 2), m["VmRSS"], results.rows))
            next_sample = now + 0.25
        if now > deadline:
            print(json.dumps({"label": args.label, "error": f"timeout: {results.rows} of {args.count} rows"}))
            return 1
        results.wait(100)
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(args.pid) - cpu0
    others = machine_busy() - busy0 - cpu - (own_cpu() - own0)
    mem = memory(args.pid)
    rss_max = max(rss_max, mem["VmRSS"])
    series.append((round(elapsed, 2), mem["VmRSS"], results.rows))
    cores = os.cpu_count() or 1
    # This loop does not read results/ while it renames: the first row's time is its
    # processed_at (same clock) instead.
    first = first_processed_at(results.folder, t0_unix)
    if first is not None:
        first_row = first - t0_unix
    print(json.dumps({
        "label": args.label, "files": args.count, "rows_before": before, "t0_unix": round(t0_unix, 4), "seconds": round(elapsed, 4),
        "files_per_s": round(args.count / elapsed, 1), "rename_s": round(renamed, 4),
        "first_row_s": round(first_row or elapsed, 4),
        "cpu_s": round(cpu, 3), "cpu_ms_per_file": round(1000 * cpu / args.count, 4),
        "cores_used": round(cpu / elapsed, 3),
        "others_share": round(max(others, 0) / (cores * elapsed), 3),
        "rss_start_kib": mem0["VmRSS"], "rss_max_kib": rss_max, "hwm_kib": mem["VmHWM"],
        "rss_series": series if args.series else None,
    }))
    return 0


def latency(args) -> int:
    from inotify_simple import INotify, flags

    names = sorted(os.listdir(args.stage))[:args.samples]
    if len(names) < args.samples:
        sys.exit(f"latency: {args.stage} holds {len(names)} files, {args.samples} wanted")
    inbox, done = os.path.join(args.root, "inbox"), os.path.join(args.root, "done")
    # One inotify for both folders: the loop sleeps in read() until either changes.
    watch = INotify()
    results = Results(os.path.join(args.root, "results"), watch)
    results.poll()
    done_wd = watch.add_watch(done, flags.MOVED_TO)
    rng = random.Random(1)
    samples, cpu0, busy0, own0 = [], cpu_seconds(args.pid), machine_busy(), own_cpu()
    start = time.perf_counter()
    for name in names:
        time.sleep((args.gap_ms + rng.random() * args.gap_ms) / 1000)
        t0 = time.perf_counter()
        os.rename(os.path.join(args.stage, name), os.path.join(inbox, name))
        t_row = t_done = None
        while t_row is None or t_done is None:
            if time.perf_counter() - t0 > 10:
                print(json.dumps({"label": args.label, "error": f"{name}: no row/done after 10 s"}))
                return 1
            events = watch.read(timeout=1000)
            now = time.perf_counter()
            if t_row is None and any(e.wd == results.wd for e in events) and name in results.poll():
                t_row = now - t0
            if t_done is None and any(e.wd == done_wd and e.name == name for e in events):
                t_done = now - t0
        samples.append((round(t_row * 1000, 3), round(t_done * 1000, 3)))
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(args.pid) - cpu0
    others = machine_busy() - busy0 - cpu - (own_cpu() - own0)
    print(json.dumps({"label": args.label, "samples": len(samples), "gap_ms": args.gap_ms,
                      "row_ms": [s[0] for s in samples], "done_ms": [s[1] for s in samples],
                      "others_share": round(max(others, 0) / ((os.cpu_count() or 1) * elapsed), 3),
                      "cpu_ms_per_file": round(1000 * cpu / len(samples), 4)}))
    return 0


def restage(args) -> int:
    done = os.path.join(args.root, "done")
    moved = 0
    for name in os.listdir(done):
        os.rename(os.path.join(done, name), os.path.join(args.stage, name))
        moved += 1
    print(json.dumps({"restaged": moved}), file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("stage")
    p.add_argument("--kind", choices=("png28", "jpeg300"), required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", default="scan-")
    p = sub.add_parser("run")
    for a in ("--stage", "--root", "--label"):
        p.add_argument(a, required=a != "--label", default="")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--series", action="store_true", help="keep the RSS samples in the output")
    p = sub.add_parser("latency")
    for a in ("--stage", "--root", "--label"):
        p.add_argument(a, required=a != "--label", default="")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--gap-ms", type=float, default=30)
    p = sub.add_parser("restage")
    p.add_argument("--root", required=True)
    p.add_argument("--stage", required=True)
    args = parser.parse_args()
    return {"stage": stage, "run": run, "latency": latency, "restage": restage}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
