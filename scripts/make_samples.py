#!/usr/bin/env python3
"""Draw the example scans in samples/: handwriting-like digits made by this project.

Nothing here comes from MNIST. Each digit is a few pen strokes (Catmull-Rom curves
and straight pieces through hand-placed points in a unit box). Every sample gets its
own jitter of those points, pen width and pressure, slant, rotation, size, position
and ink; the strokes are rendered supersampled (anti-aliased) onto white, cream or
tinted paper, then lightly blurred and given scanner noise, and saved in the PNG or
JPEG flavour that sample is meant to exercise (16-bit gray, palette, RGBA, interlaced,
1-bit, progressive, grayscale, CMYK, EXIF-rotated, ...).

Deterministic: one fixed seed per sample, so re-running rewrites identical files
(given the same Pillow and numpy versions).

Run it (from the repository root):

    python3 -m venv .venv-tools
    .venv-tools/bin/pip install pillow numpy
    .venv-tools/bin/python scripts/make_samples.py            # writes samples/
    .venv-tools/bin/python scripts/make_samples.py --out DIR  # or somewhere else

It (re)writes the image files only; samples/README.md is maintained by hand.
"""

import argparse
import math
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# ---------------------------------------------------------------------------
# Digit shapes. Coordinates in a unit box: u to the right, v downwards, the
# digit filling [0,1] x [0,1]. A stroke is a list of pieces drawn without lifting
# the pen; a piece is ("c", points) for a smooth curve through the points or
# ("l", points) for straight segments. Consecutive pieces share their end point,
# which becomes a corner.
# ---------------------------------------------------------------------------


def _oval(cx, cy, rx, ry, start_deg, sweep_deg, n, overlap=0.0):
    pts = []
    total = sweep_deg + overlap
    for i in range(n + 1):
        a = math.radians(start_deg + total * i / n)
        pts.append((cx + rx * math.cos(a), cy + ry * math.sin(a)))
    return pts


GLYPHS = {
    # 0: one loop, started at the top and drawn anticlockwise, ends overlapping.
    ("0", "oval"): [[("c", _oval(0.5, 0.5, 0.46, 0.5, -80, -360, 12, overlap=-25))]],
    ("0", "narrow"): [[("c", _oval(0.5, 0.5, 0.36, 0.5, -95, -360, 12, overlap=-15))]],
    # 1: a plain down stroke, or with a short lead-in flag at the top.
    ("1", "plain"): [[("c", [(0.55, 0.0), (0.52, 0.5), (0.48, 1.0)])]],
    ("1", "flag"): [[("l", [(0.2, 0.25), (0.6, 0.0)]), ("c", [(0.6, 0.0), (0.58, 0.5), (0.56, 1.0)])]],
    ("1", "based"): [
        [("l", [(0.25, 0.22), (0.58, 0.0)]), ("c", [(0.58, 0.0), (0.57, 0.5), (0.56, 0.97)])],
        [("l", [(0.25, 0.98), (0.88, 0.97)])],
    ],
    # 2: hook over the top, diagonal down to the left, flat base.
    ("2", "plain"): [[
        ("c", [(0.08, 0.25), (0.28, 0.04), (0.62, 0.02), (0.86, 0.2), (0.8, 0.45), (0.5, 0.72), (0.06, 0.98)]),
        ("l", [(0.06, 0.98), (0.95, 0.95)]),
    ]],
    ("2", "looped"): [[
        ("c", [(0.1, 0.22), (0.35, 0.02), (0.72, 0.04), (0.88, 0.25), (0.7, 0.55), (0.3, 0.85), (0.12, 0.98),
               (0.2, 0.83), (0.4, 0.88), (0.7, 0.98), (0.96, 0.92)]),
    ]],
    # 3: two bumps joined in the middle.
    ("3", "plain"): [[
        ("c", [(0.1, 0.15), (0.45, 0.01), (0.82, 0.1), (0.8, 0.32), (0.42, 0.47)]),
        ("c", [(0.42, 0.47), (0.8, 0.56), (0.9, 0.8), (0.55, 0.99), (0.08, 0.86)]),
    ]],
    ("3", "flat"): [[
        ("l", [(0.1, 0.03), (0.85, 0.03), (0.42, 0.42)]),
        ("c", [(0.42, 0.42), (0.82, 0.55), (0.9, 0.8), (0.55, 0.99), (0.08, 0.85)]),
    ]],
    # 4: closed top (one stroke down-left and across, then the stem), or open top.
    ("4", "closed"): [
        [("l", [(0.62, 0.0), (0.04, 0.66), (0.96, 0.66)])],
        [("l", [(0.68, 0.25), (0.68, 1.0)])],
    ],
    ("4", "open"): [
        [("l", [(0.18, 0.0), (0.1, 0.6), (0.95, 0.58)])],
        [("c", [(0.72, 0.08), (0.71, 0.55), (0.7, 1.0)])],
    ],
    # 5: stem and belly in one stroke, flag on top as a second stroke.
    ("5", "plain"): [
        [("l", [(0.22, 0.04), (0.16, 0.46)]),
         ("c", [(0.16, 0.46), (0.45, 0.36), (0.82, 0.48), (0.88, 0.75), (0.6, 0.98), (0.08, 0.88)])],
        [("c", [(0.2, 0.05), (0.5, 0.02), (0.88, 0.03)])],
    ],
    # 6: a long curve down into a closed loop at the bottom.
    ("6", "plain"): [[
        ("c", [(0.78, 0.03), (0.45, 0.18), (0.18, 0.52), (0.16, 0.82), (0.45, 0.99), (0.8, 0.86), (0.8, 0.6),
               (0.5, 0.5), (0.2, 0.66)]),
    ]],
    # 7: bar and down stroke, optionally crossed (continental style).
    ("7", "plain"): [[("l", [(0.05, 0.05), (0.95, 0.03)]), ("c", [(0.95, 0.03), (0.62, 0.5), (0.38, 1.0)])]],
    ("7", "crossed"): [
        [("l", [(0.05, 0.06), (0.95, 0.02)]), ("c", [(0.95, 0.02), (0.66, 0.5), (0.42, 1.0)])],
        [("l", [(0.4, 0.52), (0.92, 0.5)])],
    ],
    # 8: one stroke, S down then back up.
    ("8", "plain"): [[
        ("c", [(0.82, 0.14), (0.5, 0.01), (0.18, 0.14), (0.26, 0.36), (0.5, 0.48), (0.8, 0.62), (0.84, 0.86),
               (0.5, 0.99), (0.14, 0.86), (0.2, 0.62), (0.5, 0.48), (0.74, 0.34), (0.8, 0.18), (0.7, 0.05)]),
    ]],
    # 9: a loop at the top, then the stem.
    ("9", "straight"): [[
        ("c", [(0.85, 0.18), (0.55, 0.01), (0.16, 0.1), (0.14, 0.36), (0.45, 0.46), (0.84, 0.3), (0.86, 0.12)]),
        ("l", [(0.86, 0.12), (0.82, 1.0)]),
    ]],
    ("9", "curved"): [[
        ("c", [(0.82, 0.16), (0.5, 0.01), (0.14, 0.12), (0.14, 0.38), (0.45, 0.48), (0.82, 0.3), (0.86, 0.12)]),
        ("c", [(0.86, 0.12), (0.84, 0.5), (0.7, 0.85), (0.42, 1.0)]),
    ]],
}

# Width of each digit relative to its height (before the per-sample aspect factor).
ASPECT = {"0": 0.72, "1": 0.45, "2": 0.66, "3": 0.62, "4": 0.72, "5": 0.62,
          "6": 0.62, "7": 0.64, "8": 0.6, "9": 0.62}

INKS = {
    "black": (22, 22, 28),
    "blue": (28, 48, 150),       # ballpoint
    "blue-black": (25, 35, 80),  # fountain pen
    "pencil": (70, 70, 78),
    "marker": (12, 12, 14),
}

PAPERS = {
    "white": (250, 250, 248),
    "cream": (246, 238, 214),
    "gray": (222, 222, 220),
    "tinted": (226, 238, 228),   # pale green form paper
    "blue": (228, 234, 246),     # pale blue form paper
    "yellow": (250, 242, 190),   # sticky note
}


# ---------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------


def catmull_rom(points, per_segment):
    pts = [points[0]] + list(points) + [points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = (np.array(p, dtype=float) for p in pts[i - 1:i + 3])
        for k in range(per_segment):
            t = k / per_segment
            t2, t3 = t * t, t * t * t
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    out.append(np.array(points[-1], dtype=float))
    return out


def stroke_path(stroke, rng, jitter):
    """Unit-box polyline for one stroke, its control points jittered."""
    path = []
    shared = None  # the jittered corner shared with the previous piece
    for kind, pts in stroke:
        pts = [np.array(p, dtype=float) + rng.normal(0, jitter, 2) for p in pts]
        if shared is not None:
            pts[0] = shared
        shared = pts[-1]
        if kind == "c":
            dense = catmull_rom(pts, 12)
        else:
            dense = []
            for a, b in zip(pts, pts[1:]):
                for k in range(12):
                    dense.append(a + (b - a) * k / 12)
            dense.append(pts[-1])
        if path:
            dense = dense[1:]
        path.extend(dense)
    return np.array(path)


def resample(path, step):
    """Points along the polyline at most `step` apart."""
    out = [path[0]]
    for a, b in zip(path, path[1:]):
        d = float(np.hypot(*(b - a)))
        n = max(1, int(math.ceil(d / step)))
        for k in range(1, n + 1):
            out.append(a + (b - a) * k / n)
    return np.array(out)


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def ink_mask(spec, rng):
    """Float array (H, W) in [0, 1]: how much ink covers each pixel."""
    w, h = spec["size"]
    ss = max(2, min(16, int(2400 / max(w, h))))
    W, H = w * ss, h * ss
    canvas = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(canvas)

    digit = spec["digit"]
    height = spec["height"] * ss                        # digit height, canvas pixels
    width = height * ASPECT[digit] * spec.get("aspect", 1.0)
    cx, cy = spec["center"]
    cx, cy = cx * ss, cy * ss
    slant = math.tan(math.radians(spec.get("slant", 0.0)))
    rot = math.radians(spec.get("rotate", 0.0))
    cos_r, sin_r = math.cos(rot), math.sin(rot)
    radius = 0.5 * spec["pen"] * spec["height"] * ss    # pen: width / digit height
    jitter = spec.get("jitter", 0.025)

    for stroke in GLYPHS[(digit, spec["style"])]:
        unit = stroke_path(stroke, rng, jitter)
        x = (unit[:, 0] - 0.5) * width
        y = (unit[:, 1] - 0.5) * height
        x = x - y * slant
        xr = x * cos_r - y * sin_r + cx
        yr = x * sin_r + y * cos_r + cy
        pts = resample(np.stack([xr, yr], axis=1), max(0.5, radius / 4))
        n = len(pts)
        # Pen pressure: slow wander along the stroke, lighter at the lift-off.
        phase = rng.uniform(0, 2 * math.pi)
        wander = 1 + 0.12 * np.sin(np.linspace(0, rng.uniform(2, 5), n) + phase)
        taper = np.minimum(1.0, 0.75 + 0.25 * np.arange(n)[::-1] / max(1, 0.15 * n))
        for (px, py), p in zip(pts, wander * taper):
            r = radius * p
            draw.ellipse((px - r, py - r, px + r, py + r), fill=255)

    mask = canvas.reduce(ss)  # box filter: exact area coverage = anti-aliasing
    return np.asarray(mask, dtype=np.float32) / 255.0


def smooth_noise(rng, h, w, cell):
    """Low-frequency noise in about [-1, 1], features about `cell` pixels wide."""
    small = rng.normal(0, 1, (max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    img = Image.fromarray(small).resize((w, h), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32)


def blur3(a):
    """A small [1 2 1] x [1 2 1] blur of a 2-D float array (edges repeated)."""
    p = np.pad(a, 1, mode="edge")
    a = (p[:, :-2] + 2 * p[:, 1:-1] + p[:, 2:]) / 4
    return (a[:-2] + 2 * a[1:-1] + a[2:]) / 4


def render(spec):
    """The sample as a float RGB array (H, W, 3) in 0..255, plus its ink coverage."""
    rng = np.random.default_rng(spec["seed"])
    w, h = spec["size"]
    mask = ink_mask(spec, rng)

    ink_name = spec["ink"]
    ink = np.array(INKS[ink_name], dtype=np.float32)
    alpha = mask * spec.get("opacity", 0.95)
    if ink_name == "pencil":
        # Graphite catches on the paper's tooth: grainy, lighter where pressed less.
        grain = np.clip(rng.normal(0.82, 0.16, (h, w)), 0.35, 1.0).astype(np.float32)
        grain = blur3(grain)
        alpha = alpha * grain
    else:
        # Ink that pooled a little more here than there.
        alpha = alpha * (1 + 0.05 * smooth_noise(rng, h, w, max(4, w // 12)))
    alpha = np.clip(alpha, 0, 1)[..., None]

    paper = np.array(PAPERS[spec["paper"]], dtype=np.float32)
    shade = 1 + 0.012 * smooth_noise(rng, h, w, max(8, w // 6))   # uneven lighting
    page = paper[None, None, :] * shade[..., None]
    for line_y in spec.get("rules", []):                              # printed form rules
        page[line_y:line_y + 1, :, :] = page[line_y:line_y + 1, :, :] * 0.93
    img = page * (1 - alpha) + ink[None, None, :] * alpha

    blur = spec.get("blur", 0.5)
    if blur > 0:
        pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        img = np.asarray(pil.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float32)
    sigma = spec.get("noise", 1.5)
    if sigma > 0:
        img = img + rng.normal(0, sigma, (h, w, 1)).astype(np.float32)  # sensor noise, mostly luma
    return np.clip(img, 0, 255), mask


# ---------------------------------------------------------------------------
# Writing each flavour
# ---------------------------------------------------------------------------


def to_gray(img):
    return img[..., 0] * 0.299 + img[..., 1] * 0.587 + img[..., 2] * 0.114


def write_interlaced_png(path, rgb):
    """8-bit RGB PNG with Adam7 interlacing (Pillow cannot write interlaced PNGs)."""
    h, w, _ = rgb.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        sub = rgb[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for row in sub:
            raw.append(0)  # filter type None
            raw.extend(row.astype(np.uint8).tobytes())

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 1)  # depth 8, RGB, interlace Adam7
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
                + chunk(b"IEND", b""))


def save(spec, out_dir):
    img, mask = render(spec)
    path = os.path.join(out_dir, spec["name"])
    kind = spec["format"]
    rgb8 = np.round(img).astype(np.uint8)
    gray = to_gray(img)
    gray8 = np.clip(np.round(gray), 0, 255).astype(np.uint8)

    if kind == "png-rgb":
        Image.fromarray(rgb8).save(path, optimize=True)
    elif kind == "png-gray":
        Image.fromarray(gray8).save(path, optimize=True)
    elif kind == "png-gray16":
        g16 = np.clip(np.round(gray * 257), 0, 65535).astype(np.uint16)
        Image.fromarray(g16).save(path)
    elif kind == "png-palette":
        Image.fromarray(rgb8).quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
            .save(path, bits=4, optimize=True)
    elif kind == "png-rgba":
        # Ink on a transparent background, as drawing programs export it: the
        # transparent pixels' colour is black, so alpha must be honoured.
        a = np.clip(np.round(mask * 255), 0, 255).astype(np.uint8)
        ink = np.array(INKS[spec["ink"]], dtype=np.uint8)
        rgba = np.zeros((*a.shape, 4), dtype=np.uint8)
        rgba[..., :3] = np.where(a[..., None] > 0, ink[None, None, :], 0)
        rgba[..., 3] = a
        Image.fromarray(rgba).save(path, optimize=True)
    elif kind == "png-gray-alpha":
        a = np.clip(np.round(mask * 255), 0, 255).astype(np.uint8)
        la = np.stack([np.where(a > 0, 30, 255).astype(np.uint8), a], axis=-1)
        Image.fromarray(la).save(path, optimize=True)
    elif kind == "png-1bit":
        Image.fromarray(np.where(gray8 < 150, 0, 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE) \
            .save(path, optimize=True)
    elif kind == "png-interlaced":
        write_interlaced_png(path, rgb8)
    elif kind == "jpeg":
        Image.fromarray(rgb8).save(path, quality=spec["quality"], progressive=spec.get("progressive", False),
                                           optimize=True)
    elif kind == "jpeg-gray":
        Image.fromarray(gray8).save(path, quality=spec["quality"], progressive=spec.get("progressive", False),
                                         optimize=True)
    elif kind == "jpeg-cmyk":
        Image.fromarray(rgb8).convert("CMYK").save(path, quality=spec["quality"])
    elif kind == "jpeg-exif6":
        # A phone held sideways: pixels stored turned a quarter left, EXIF
        # orientation 6 says "rotate 90 degrees clockwise to display".
        stored = Image.fromarray(rgb8).transpose(Image.Transpose.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
        stored.save(path, quality=spec["quality"], exif=exif.tobytes())
    else:
        raise ValueError(kind)
    return path


# ---------------------------------------------------------------------------
# The samples. size = (width, height) of the scan; height = digit height in
# pixels; center = where the digit's middle goes; pen = stroke width as a
# fraction of the digit's height; slant in degrees (positive leans right).
# ---------------------------------------------------------------------------

SAMPLES = [
    dict(name="0-round-black-ink.png", digit="0", style="oval", size=(120, 160), height=118, center=(60, 80),
         pen=0.08, slant=5, ink="black", paper="white", format="png-rgb", noise=1.2),
    dict(name="0-narrow-pencil-cream-paper.jpg", digit="0", style="narrow", size=(300, 300), height=210,
         center=(150, 152), pen=0.05, slant=12, ink="pencil", paper="cream", format="jpeg", quality=90),
    dict(name="1-plain-28x28.png", digit="1", style="plain", size=(28, 28), height=21, center=(14, 14),
         pen=0.11, slant=8, ink="black", paper="white", format="png-gray", blur=0.3, noise=1.0),
    dict(name="1-flag-blue-ink-off-center.jpg", digit="1", style="flag", size=(400, 300), height=170,
         center=(110, 130), pen=0.06, slant=6, ink="blue", paper="white", format="jpeg", quality=85,
         progressive=True),
    dict(name="1-based-thin-pen-64x64.png", digit="1", style="based", size=(64, 64), height=46, center=(33, 32),
         pen=0.05, slant=0, ink="blue-black", paper="white", format="png-gray-alpha"),
    dict(name="2-bold-marker-palette.png", digit="2", style="plain", size=(300, 300), height=200, center=(150, 150),
         pen=0.16, slant=-3, ink="marker", paper="white", format="png-palette", noise=1.0),
    dict(name="2-looped-slanted-blue-ink.jpg", digit="2", style="looped", size=(120, 160), height=110,
         center=(58, 82), pen=0.07, slant=20, ink="blue", paper="white", format="jpeg", quality=80),
    dict(name="3-thin-pen-gray-paper-16bit.png", digit="3", style="plain", size=(400, 300), height=190,
         center=(230, 150), pen=0.035, slant=8, ink="black", paper="gray", format="png-gray16", noise=1.0),
    dict(name="3-pencil-cream-paper-64x64.jpg", digit="3", style="flat", size=(64, 64), height=48, center=(31, 33),
         pen=0.08, slant=4, ink="pencil", paper="cream", format="jpeg", quality=92, blur=0.4, noise=1.0),
    dict(name="4-closed-top-interlaced.png", digit="4", style="closed", size=(120, 160), height=112,
         center=(60, 78), pen=0.08, slant=4, ink="black", paper="white", format="png-interlaced", noise=1.0),
    dict(name="4-open-top-phone-exif-rotated.jpg", digit="4", style="open", size=(300, 400), height=230,
         center=(150, 200), pen=0.07, slant=-4, rotate=3, ink="blue", paper="white", format="jpeg-exif6",
         quality=88, blur=0.8),
    dict(name="4-open-top-tight-crop-28x28.jpg", digit="4", style="open", size=(28, 28), height=26,
         center=(14, 14), pen=0.12, slant=2, ink="black", paper="white", format="jpeg", quality=95, blur=0.3,
         noise=1.0),
    dict(name="5-wide-margin-blue-ink.png", digit="5", style="plain", size=(300, 300), height=90,
         center=(150, 150), pen=0.08, slant=10, ink="blue", paper="blue", format="png-rgb", noise=0.8),
    dict(name="5-gray-jpeg-pencil.jpg", digit="5", style="plain", size=(120, 160), height=120, center=(62, 80),
         pen=0.08, slant=-6, ink="pencil", paper="white", format="jpeg-gray", quality=85),
    dict(name="6-page-scan-ruled-form.jpg", digit="6", style="plain", size=(600, 800), height=160,
         center=(190, 300), pen=0.06, slant=10, ink="blue-black", paper="white", format="jpeg", quality=82,
         rules=[60, 61, 420, 421, 740], noise=1.5),
    dict(name="6-left-slant-28x28.png", digit="6", style="plain", size=(28, 28), height=20, center=(15, 14),
         pen=0.13, slant=-12, ink="black", paper="cream", format="png-rgb", blur=0.3, noise=1.0),
    dict(name="7-slanted-blue-ink-transparent.png", digit="7", style="plain", size=(300, 300), height=220,
         center=(150, 150), pen=0.06, slant=15, ink="blue", paper="white", format="png-rgba"),
    dict(name="7-crossed-gray-jpeg.jpg", digit="7", style="crossed", size=(400, 300), height=200,
         center=(200, 150), pen=0.09, slant=5, ink="black", paper="white", format="jpeg-gray", quality=90),
    dict(name="7-plain-small-bottom-right-64x64.png", digit="7", style="plain", size=(64, 64), height=26,
         center=(44, 44), pen=0.12, slant=6, ink="black", paper="white", format="png-gray", noise=1.0),
    dict(name="8-figure-eight-pencil.png", digit="8", style="plain", size=(120, 160), height=120, center=(60, 80),
         pen=0.06, slant=6, ink="pencil", paper="white", format="png-gray"),
    dict(name="8-cmyk-bold-black-ink.jpg", digit="8", style="plain", size=(300, 300), height=220,
         center=(150, 150), pen=0.13, slant=-2, ink="black", paper="cream", format="jpeg-cmyk", quality=85),
    dict(name="9-straight-stem-1bit.png", digit="9", style="straight", size=(300, 300), height=220,
         center=(140, 150), pen=0.1, slant=8, ink="black", paper="white", format="png-1bit"),
    dict(name="9-curved-stem-tinted-paper.jpg", digit="9", style="curved", size=(400, 300), height=200,
         center=(250, 160), pen=0.07, slant=12, ink="blue-black", paper="tinted", format="jpeg", quality=75,
         progressive=True),
    dict(name="9-sticky-note-marker-64x64.png", digit="9", style="straight", size=(64, 64), height=44,
         center=(30, 33), pen=0.14, slant=0, ink="marker", paper="yellow", format="png-rgb", noise=1.0),
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "samples"), help="output folder (default: samples/)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = set()
    for spec in SAMPLES:
        assert spec["name"] not in names, spec["name"]
        names.add(spec["name"])
        spec = dict(spec)
        spec.setdefault("seed", zlib.crc32(spec["name"].encode()))  # stable per file
        path = save(spec, args.out)
        print(f"{os.path.relpath(path)}: {os.path.getsize(path)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
