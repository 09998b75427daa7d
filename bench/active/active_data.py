"""The active-learning bench's data work (bench/active/active.sh): the shifted kind of scans
made from MNIST test digits, the labels each order spends, the folders the errors are
measured on. numpy and Pillow only (the git-ignored .venv-bench); none of this is digitd.

    render  --mnist DIR --pool A:B --eval C:D --out STAGE
            MNIST test digits A..B-1 (the pool, labels are bought from it) as
            STAGE/pool/field-NNNNN.png and C..D-1 (the evaluation set, never labelled) as
            STAGE/eval/D/field-NNNNN.png (the labels/ layout `digitctl eval --scans` reads);
            STAGE/truth.csv: file,digit,set. Prints a JSON summary.
    pick    --order queue|random --budget B --results DIR --truth FILE [--queue FILE.json]
            [--seed S] --out DECISIONS.csv [--rest DIR --stage STAGE]
            queue: the first B items of `digitctl review --next B --json` (FILE.json);
            random: B result rows of the pool drawn with numpy's default_rng(S) (the same
            S for every budget, so a smaller random budget is a prefix of a larger one).
            Writes claim,digit rows with the true digits, and with --rest the pool scans
            not picked as DIR/D/ hard links to STAGE/pool (for `digitctl eval --scans`).
            Prints a JSON summary (what the picked scans were: review/ok, wrong before).
    score   --results DIR --truth FILE --set pool|eval
            the result rows of that set's files in ROOT/results: how many, how many wrong
            (a digit other than the truth, or none: blank, error), the error, the models
            that wrote them. Prints JSON.
    accuracy REPORT.json
            the figures the bench keeps of a `digitctl eval --scans --json` answer (one
            folder): images, correct, error, blank, unreadable, the model file.

The shifted kind ("wide form field", as Tests/DigitdCoreTests/WideBoxField.swift makes it
for the fine-tune acceptance test): the digit's ink box (pixels >= 32) area-resampled to
24 wide x 12 high, enlarged 4x bilinearly with 12 px of paper around it (120 x 72), dark ink
(35) on paper (235), no noise. digitd's normalizer keeps the aspect ratio, so the network
sees it squat.
"""
import argparse
import csv
import gzip
import json
import os
import sys

import numpy as np
from PIL import Image

WIDTH, HEIGHT, FACTOR, MARGIN, PAPER, INK, INK_LEVEL = 24, 12, 4, 12, 235.0, 35.0, 32


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def area_weights(start, length, out):
    """W[o, s]: how much of source pixel s the output pixel o covers (area averaging of
    [start, start + length) to `out` pixels, as GrayImage.resampled does)."""
    scale = length / out
    w = np.zeros((out, start + length))
    for o in range(out):
        a = start + o * scale
        b = a + scale
        for s in range(int(np.floor(a)), min(int(np.ceil(b)), start + length)):  # not past the box: rounding
            w[o, s] = min(s + 1, b) - max(s, a)
    return w / scale


def bilinear_weights(size, out_size):
    """B[o, s]: the bilinear weight of source pixel s (0..size-1, 0 outside) at output
    pixel o of the enlarged, margined scan (ScanRendering: u = o - margin + 0.5, sampled
    at u / factor - 0.5)."""
    b = np.zeros((out_size, size))
    for o in range(out_size):
        t = (o - MARGIN + 0.5) / FACTOR - 0.5
        s0 = int(np.floor(t))
        f = t - s0
        for s, wt in ((s0, 1 - f), (s0 + 1, f)):
            if 0 <= s < size:
                b[o, s] += wt
    return b


BX = bilinear_weights(WIDTH, WIDTH * FACTOR + 2 * MARGIN)
BY = bilinear_weights(HEIGHT, HEIGHT * FACTOR + 2 * MARGIN)


def wide_field(digit):
    """The 28x28 MNIST digit (255 = ink) as a wide-form-field scan (uint8, dark on light)."""
    ys, xs = np.nonzero(digit >= INK_LEVEL)
    if len(xs):
        x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    else:
        x0, x1, y0, y1 = 0, digit.shape[1], 0, digit.shape[0]
    wx = area_weights(x0, x1 - x0, WIDTH)    # 24 x (x1)
    wy = area_weights(y0, y1 - y0, HEIGHT)   # 12 x (y1)
    src = digit[:y1, :x1].astype(np.float64)
    filled = np.minimum(255, np.floor(wy @ src @ wx.T + 0.5))
    amount = np.clip(BY @ filled @ BX.T, 0, 255)
    level = PAPER - (PAPER - INK) * amount / 255
    return np.clip(np.floor(level + 0.5), 0, 255).astype(np.uint8)


def span(text):
    a, b = (int(v) for v in text.split(":"))
    return range(a, b)


def render(args):
    images = read_idx(os.path.join(args.mnist, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(args.mnist, "t10k-labels-idx1-ubyte.gz"))
    pool, evaluation = span(args.pool), span(args.eval)
    if set(pool) & set(evaluation):
        sys.exit("active_data.py: the pool and the evaluation set overlap")
    os.makedirs(os.path.join(args.out, "pool"), exist_ok=True)
    for d in range(10):
        os.makedirs(os.path.join(args.out, "eval", str(d)), exist_ok=True)
    rows = []
    for which, indices in (("pool", pool), ("eval", evaluation)):
        for i in indices:
            name = f"field-{i:05d}.png"
            digit = int(labels[i])
            folder = os.path.join(args.out, "pool") if which == "pool" else os.path.join(args.out, "eval", str(digit))
            Image.fromarray(wide_field(images[i]), mode="L").save(os.path.join(folder, name), optimize=False)
            rows.append((name, digit, which))
    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "digit", "set"])
        w.writerows(rows)
    print(json.dumps({"pool": len(pool), "eval": len(evaluation), "pool_range": args.pool, "eval_range": args.eval,
                      "kind": "wide form field 24x12, 4x, ink 35 on paper 235"}))


def read_truth(path):
    with open(path, newline="") as f:
        return {r["file"]: (int(r["digit"]), r["set"]) for r in csv.DictReader(f)}


def read_results(folder):
    rows = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("results-") and name.endswith(".csv"):
            with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
                rows.extend(csv.DictReader(f))
    return rows


def pool_rows(results, truth):
    """The pool's result rows, one per file (the only ones: the pool is classified once)."""
    rows = sorted((r for r in read_results(results) if truth.get(r["file"], (None, None))[1] == "pool"),
                  key=lambda r: r["file"])  # by name, not processing order: the random draw repeats
    files = [r["file"] for r in rows]
    if len(set(files)) != len(files):
        sys.exit("active_data.py: a pool file has more than one result row")
    return rows


def wrong(row, truth):
    return row["digit"] == "" or int(row["digit"]) != truth[row["file"]][0]


def pick(args):
    truth = read_truth(args.truth)
    rows = pool_rows(args.results, truth)
    by_claim = {r["claim"]: r for r in rows}
    if args.order == "queue":
        with open(args.queue) as f:
            items = json.load(f)
        picked = []
        for item in items[:args.budget]:
            if item["claim"] not in by_claim:
                sys.exit(f"active_data.py: the queue named {item['claim']} ({item['file']}), not a pool row")
            picked.append(by_claim[item["claim"]])
    else:
        order = np.random.default_rng(args.seed).permutation(len(rows))
        picked = [rows[i] for i in order[:args.budget]]
    if len(picked) < args.budget:
        sys.exit(f"active_data.py: {args.order} order gave {len(picked)} scans, not {args.budget}")
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["claim", "digit"])
        for r in picked:
            w.writerow([r["claim"], truth[r["file"]][0]])
    summary = {"order": args.order, "budget": args.budget, "picked": len(picked),
               "review": sum(r["status"] == "review" for r in picked),
               "wrong_before": sum(wrong(r, truth) for r in picked),
               "per_digit": [sum(truth[r["file"]][0] == d for r in picked) for d in range(10)]}
    if args.rest:
        chosen = {r["file"] for r in picked}
        rest = 0
        for d in range(10):
            os.makedirs(os.path.join(args.rest, str(d)), exist_ok=True)
        for r in rows:
            if r["file"] in chosen:
                continue
            os.link(os.path.join(args.stage, "pool", r["file"]), os.path.join(args.rest, str(truth[r["file"]][0]), r["file"]))
            rest += 1
        summary["rest"] = rest
        summary["rest_wrong_before"] = sum(wrong(r, truth) for r in rows if r["file"] not in chosen)
    print(json.dumps(summary))


def score(args):
    truth = read_truth(args.truth)
    rows = [r for r in read_results(args.results) if truth.get(r["file"], (None, None))[1] == args.set]
    errors = sum(wrong(r, truth) for r in rows)
    models, statuses = {}, {}
    for r in rows:
        models[r["model"]] = models.get(r["model"], 0) + 1
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(json.dumps({"set": args.set, "rows": len(rows), "files": len({r["file"] for r in rows}), "wrong": errors,
                      "error": errors / len(rows) if rows else None, "status": statuses, "models": models}))


def accuracy(args):
    with open(args.report) as f:
        report = json.load(f)
    members = report["members"]
    if len(members) != 1:
        sys.exit(f"active_data.py: {args.report} has {len(members)} members, not 1")
    m = members[0]
    print(json.dumps({"images": m["images"], "correct": m["correct"], "error": 1 - m["accuracy"],
                      "blank": m["blank"], "unreadable": m["unreadable"], "model": report["model"]}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("render")
    p.add_argument("--mnist", required=True)
    p.add_argument("--pool", default="0:3000")
    p.add_argument("--eval", default="5000:7000")
    p.add_argument("--out", required=True)
    p = sub.add_parser("pick")
    p.add_argument("--order", choices=["queue", "random"], required=True)
    p.add_argument("--budget", type=int, required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--queue")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--rest")
    p.add_argument("--stage")
    p = sub.add_parser("score")
    p.add_argument("--results", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--set", choices=["pool", "eval"], required=True)
    p = sub.add_parser("accuracy")
    p.add_argument("report")
    args = parser.parse_args()
    {"render": render, "pick": pick, "score": score, "accuracy": accuracy}[args.command](args)


if __name__ == "__main__":
    main()
