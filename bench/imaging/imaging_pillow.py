"""The Pillow side of `make bench`: the same decode+normalize as Imaging's
ImageDecoder + ScanNormalizer, written the way a Python developer would.

    imaging_pillow.py [--seconds S] [--runs N] [--warmup S] [--variants LIST]
                      [--compare DIR] FILE...

Timing is ImagingBench's: per file and variant, `warmup` seconds, then `runs`
runs of at least `seconds / runs` seconds each; the median images/s is printed
as one JSON object per line. Two sides per file:

    pillow        Image.open + convert("L"): full-size decode, full color path
    pillow-draft  (JPEG only) Image.draft("L", (w // d, h // d)) first: libjpeg
                  decodes luminance only, at 1/d size by DCT scaling, where d is
                  the scale ImageDecoder picks (largest of 8, 4, 2 leaving the
                  shorter side >= 256 px; 4 for a 2000x2800 page)

Variants: bytes (from bytes in memory), file (Image.open(path)), decode (no
normalization). --compare DIR reads ImagingBench --dump output and reports
how far this normalization lands from Imaging's (max and mean |difference|).

Mirrors ScanNormalizer as of d9277c6 (half-ink box, linear ink map, fringe,
center of mass on pixel 14) except that Imaging also drops ink specks
(8-connected pieces under 5 % of the largest) before taking the box; the
synthetic inputs have no specks. Resampling is Pillow's BOX, not Imaging's own
area weights, so the outputs agree closely but not exactly.
"""
import argparse
import json
import math
import os
import sys
import time
from io import BytesIO

import numpy as np
from PIL import Image

FIT_SIDE = 20
SIDE = 28
MIN_CONTRAST = 40
MIN_INK_EXTENT = 0.04
MIN_DECODED_SIDE = 256


# ---- normalization ----------------------------------------------------------

def otsu(hist: np.ndarray) -> int:
    """Otsu's threshold: values <= t are one class."""
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)[:-1].astype(np.float64)
    s0 = np.cumsum(hist * levels)[:-1]
    total, sum_all = float(hist.sum()), float((hist * levels).sum())
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (s0 / w0 - (sum_all - s0) / w1) ** 2
    between[(w0 == 0) | (w1 == 0)] = -1
    return int(np.argmax(between))


def median_level(hist: np.ndarray, lo: int, hi: int):
    """Median of the values in lo..hi (inclusive), None when there are none."""
    counts = np.cumsum(hist[lo:hi + 1])
    if counts[-1] == 0:
        return None
    return lo + int(np.searchsorted(counts * 2, counts[-1]))


def normalize(gray: np.ndarray):
    """28x28 float32 in [0, 1], light ink on black, or None for a blank page."""
    hist = np.bincount(gray.ravel(), minlength=256)
    split = otsu(hist)
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    light = float(np.mean(border > split))
    if light > 0.6:
        dark_on_light = True
    elif light < 0.4:
        dark_on_light = False
    else:
        dark_on_light = hist[split + 1:].sum() * 2 > gray.size

    # Paper and ink levels in ink space (0 = paper side).
    ink_hist = hist[::-1] if dark_on_light else hist
    split = otsu(ink_hist)
    paper = median_level(ink_hist, 0, split)
    ink = median_level(ink_hist, split + 1, 255)
    if paper is None or ink is None or ink - paper < MIN_CONTRAST:
        return None
    deviations = np.bincount(np.abs(np.arange(split + 1) - paper), weights=ink_hist[:split + 1], minlength=256)
    noise = 1.4826 * (median_level(deviations, 0, 255) or 0)
    low = paper + 3 * noise + 1
    high = max(float(ink), low + 1)

    # Ink amount per pixel through a 256-entry table.
    values = np.arange(256, dtype=np.float64)
    if dark_on_light:
        values = 255 - values
    table = np.clip((values - low) / (high - low), 0, 1).astype(np.float32)
    amount = table[gray]

    # Box of the half-ink pixels (the stroke, not its fringe); too small = a mark.
    strong = amount >= 0.5
    rows = np.flatnonzero(strong.any(axis=1))
    cols = np.flatnonzero(strong.any(axis=0))
    if rows.size == 0:
        return None
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if max(w, h) < max(4, round(MIN_INK_EXTENT * min(gray.shape))):
        return None

    # Scale the box (plus up to one output pixel of fringe) to fit 20x20.
    scale = FIT_SIDE / max(w, h)
    fringe = math.ceil(1 / scale)
    y0, y1 = max(rows[0] - fringe, 0), min(rows[-1] + 1 + fringe, gray.shape[0])
    x0, x1 = max(cols[0] - fringe, 0), min(cols[-1] + 1 + fringe, gray.shape[1])
    crop = amount[y0:y1, x0:x1]
    size = (max(1, math.ceil((x1 - x0) * scale)), max(1, math.ceil((y1 - y0) * scale)))
    fitted = np.asarray(Image.fromarray(crop, "F").resize(size, Image.BOX))

    # Whole-pixel shift putting the center of mass on pixel (14, 14), all ink kept inside.
    mass = float(fitted.sum())
    if mass <= 0:
        return np.zeros((SIDE, SIDE), dtype=np.float32)
    ys, xs = np.nonzero(fitted > 0)
    weights = fitted[ys, xs]
    ox = int(round(SIDE // 2 - float((weights * xs).sum()) / mass))
    oy = int(round(SIDE // 2 - float((weights * ys).sum()) / mass))
    ox = min(max(ox, -xs.min()), SIDE - 1 - xs.max())
    oy = min(max(oy, -ys.min()), SIDE - 1 - ys.max())
    canvas = np.zeros((SIDE, SIDE), dtype=np.float32)
    ink_part = np.minimum(fitted[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 1)
    canvas[oy + ys.min():oy + ys.max() + 1, ox + xs.min():ox + xs.max() + 1] = ink_part
    return canvas


# ---- decoding ---------------------------------------------------------------

def scale_denominator(width: int, height: int) -> int:
    """The DCT scale ImageDecoder picks for a JPEG of this size."""
    shorter = min(width, height)
    for d in (8, 4, 2):
        if (shorter + d - 1) // d >= MIN_DECODED_SIDE:
            return d
    return 1


def load(source, draft: bool) -> Image.Image:
    im = Image.open(source)
    if draft and im.format == "JPEG":
        d = scale_denominator(*im.size)
        im.draft("L", (im.width // d, im.height // d))
    return im.convert("L")


def run_once(source, draft: bool, variant: str):
    if variant == "file":
        with open(source, "rb") as f:  # Image.open(path) would leave it to the GC
            return normalize(np.asarray(load(f, draft)))
    im = load(BytesIO(source), draft)
    if variant == "decode":
        return im
    return normalize(np.asarray(im))


# ---- timing -----------------------------------------------------------------

def measure(body, warmup: float, per_run: float, runs: int):
    end, warmed = time.perf_counter() + warmup, 0
    while warmed < 2 or time.perf_counter() < end:
        body()
        warmed += 1
    rates, iterations = [], 0
    for _ in range(runs):
        n, start = 0, time.perf_counter()
        while True:
            body()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= per_run:
                break
        rates.append(n / elapsed)
        iterations += n
    rates_sorted = sorted(rates)
    mid = len(rates_sorted) // 2
    median = rates_sorted[mid] if len(rates_sorted) % 2 else (rates_sorted[mid - 1] + rates_sorted[mid]) / 2
    return median, rates, iterations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--variants", default="bytes,file,decode")
    parser.add_argument("--compare", metavar="DIR")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    variants = args.variants.split(",")

    for path in args.files:
        name = os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        sides = [("pillow", False)]
        if Image.open(BytesIO(data)).format == "JPEG":
            sides.append(("pillow-draft", True))
        for side, draft in sides:
            im = load(BytesIO(data), draft)
            out = normalize(np.asarray(im))
            info = {"side": side, "file": name, "bytes": len(data), "decoded": f"{im.width}x{im.height}"}
            if args.compare:
                ref = np.fromfile(os.path.join(args.compare, name + ".f32"), dtype="<f4").reshape(SIDE, SIDE)
                mine = out if out is not None else np.zeros((SIDE, SIDE), np.float32)
                info["diff_max"] = round(float(np.abs(mine - ref).max()), 4)
                info["diff_mean"] = round(float(np.abs(mine - ref).mean()), 5)
            for variant in variants:
                source = path if variant == "file" else data
                median, rates, iterations = measure(lambda: run_once(source, draft, variant),
                                                    args.warmup, args.seconds / args.runs, args.runs)
                print(json.dumps({**info, "variant": variant, "ips": round(median, 1),
                                  "runs": [round(r, 1) for r in rates], "iterations": iterations}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
