"""The Python side of `make bench-pipeline` (bench/pipeline/pipeline.sh): digitd's job done the
obvious way in Python, on the same files, same machine, same run.

    pipeline_python.py --root DIR --weights seedcnn.f32 [--watch inotify|watchdog]
                       [--max-batch 64] [--batch-log FILE]

    DIR/inbox/       watched on a thread of its own, by
                     --watch inotify (default): inotify_simple, IN_CLOSE_WRITE and
                       IN_MOVED_TO, the events digitd takes; an overflow lists the inbox
                     --watch watchdog: watchdog's Observer; a file renamed in arrives as
                       on_created, one written in place as on_closed. watchdog holds
                       every IN_MOVED_FROM for 0.5 s to pair it with an IN_MOVED_TO, and
                       its queue is FIFO: each claim (the rename out of the inbox) holds
                       back the events behind it, so a file dropped within 0.5 s of the
                       last claim waits up to 0.5 s
                     plus a listing at start-up and whenever the queue has been empty
                     for a second (what catches names lost to an inotify overflow)
    DIR/processing/  claimed by os.rename from the inbox
    DIR/done/        moved there after its row is written and fsync'ed
    DIR/failed/      files Pillow cannot open (an `error` row)
    DIR/results/results.csv
                     file,sha256,status,digit,confidence,model,processed_at (DESIGN.md §6)

Batching "as it arrives": the main thread blocks for the first queued name, then takes
whatever else is queued at that moment, up to --max-batch (digitd's batch.max_size),
with no extra wait. Per batch: claim each file, read it, sha256, Pillow decode +
convert("L"), the normalization of bench/imaging/imaging_pillow.py (MNIST-style, the same one the
imaging bench times), one torch forward pass over the batch (bench/network/network_model.py,
the reference weights, torch's default intra-op threads), softmax, CSV rows appended,
flush + fsync, then the originals renamed to done/.

Prints "ready" on stderr once the model is loaded and the watch is up; one JSON line
per batch ({"batch": size, "t": unix time}) to --batch-log. SIGTERM/SIGINT finish the
batch in flight and exit 0. Benchmark only: none of this is part of digitd.
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import queue
import signal
import sys
import threading
import time
from io import BytesIO

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from watchdog.events import FileSystemEventHandler  # noqa: E402

from imaging.imaging_pillow import normalize  # noqa: E402
from network.network_model import SeedCNN, load_f32  # noqa: E402

IGNORED_SUFFIXES = (".tmp", ".part", "~")


def ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(IGNORED_SUFFIXES)


class Inbox(FileSystemEventHandler):
    """Names announced by watchdog, without repeats, in arrival order."""

    def __init__(self):
        self.names = queue.Queue()
        self.queued = set()
        self.lock = threading.Lock()

    def offer(self, name: str):
        if ignored(name):
            return
        with self.lock:
            if name in self.queued:
                return
            self.queued.add(name)
        self.names.put(name)

    def taken(self, name: str):
        with self.lock:
            self.queued.discard(name)

    def on_created(self, event):
        if not event.is_directory:
            self.offer(os.path.basename(event.src_path))

    def on_closed(self, event):
        if not event.is_directory:
            self.offer(os.path.basename(event.src_path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--watch", choices=("inotify", "watchdog"), default="inotify")
    parser.add_argument("--max-batch", type=int, default=64)
    parser.add_argument("--batch-log")
    args = parser.parse_args()

    folders = {k: os.path.join(args.root, k) for k in ("inbox", "processing", "done", "failed", "results")}
    for path in folders.values():
        os.makedirs(path, exist_ok=True)
    model = load_f32(SeedCNN(), args.weights).eval()
    version = "seedcnn.f32"

    csv_path = os.path.join(folders["results"], "results.csv")
    new_file = not os.path.exists(csv_path) or os.path.getsize(csv_path) == 0
    out = open(csv_path, "a", newline="", encoding="utf-8")
    writer = csv.writer(out)  # RFC 4180: CRLF, quoting as needed
    if new_file:
        writer.writerow(["file", "sha256", "status", "digit", "confidence", "model", "processed_at"])
        out.flush()
        os.fsync(out.fileno())
    batch_log = open(args.batch_log, "a") if args.batch_log else None

    inbox = Inbox()

    def scan_inbox():
        for entry in os.scandir(folders["inbox"]):
            if entry.is_file(follow_symlinks=False):
                inbox.offer(entry.name)

    if args.watch == "watchdog":
        from watchdog.observers import Observer

        observer = Observer()
        observer.schedule(inbox, folders["inbox"], recursive=False)
        observer.start()
    else:
        from inotify_simple import INotify, flags

        notify = INotify()
        notify.add_watch(folders["inbox"], flags.CLOSE_WRITE | flags.MOVED_TO)

        def watch():
            while True:
                for event in notify.read():
                    if event.mask & flags.Q_OVERFLOW:
                        scan_inbox()
                    elif event.name and not event.mask & flags.ISDIR:
                        inbox.offer(event.name)

        threading.Thread(target=watch, daemon=True, name="inbox-watch").start()

    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    with torch.inference_mode():  # warm-up: the first call pays for oneDNN's setup
        model(torch.zeros(1, 1, 28, 28))
    scan_inbox()
    print("ready", file=sys.stderr, flush=True)

    while not stopping.is_set():
        try:
            names = [inbox.names.get(timeout=1.0)]
        except queue.Empty:
            scan_inbox()
            continue
        while len(names) < args.max_batch:
            try:
                names.append(inbox.names.get_nowait())
            except queue.Empty:
                break

        claimed, images, rows = [], [], []
        for name in names:
            inbox.taken(name)
            source = os.path.join(folders["inbox"], name)
            target = os.path.join(folders["processing"], name)
            try:
                os.rename(source, target)
            except FileNotFoundError:  # announced twice, or already gone
                continue
            with open(target, "rb") as f:
                data = f.read()
            digest = hashlib.sha256(data).hexdigest()
            try:
                gray = np.asarray(Image.open(BytesIO(data)).convert("L"))
                pixels = normalize(gray)
                status = "ok" if pixels is not None else "blank"
            except Exception:  # not an image, truncated, ...
                pixels, status = None, "error"
            claimed.append((name, target, status))
            rows.append([name, digest, status])
            if pixels is not None:
                images.append(pixels)
        if not claimed:
            continue

        if images:
            with torch.inference_mode():
                batch = torch.from_numpy(np.stack(images)).unsqueeze(1)
                top = torch.softmax(model(batch), dim=1).max(dim=1)
            digits, confidences = top.indices.tolist(), top.values.tolist()
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        k = 0
        for row in rows:
            if row[2] == "ok":
                row += [digits[k], f"{confidences[k]:.4f}"]
                k += 1
            else:
                row += ["", ""]
            row += [version, now]
        writer.writerows(rows)
        out.flush()
        os.fsync(out.fileno())
        for name, target, status in claimed:
            os.rename(target, os.path.join(folders["failed" if status == "error" else "done"], name))
        if batch_log:
            batch_log.write(json.dumps({"batch": len(claimed), "t": round(time.time(), 4)}) + "\n")
            batch_log.flush()

    if args.watch == "watchdog":
        observer.stop()
        observer.join()
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
