"""Writes the four synthetic scans `make bench` times, into the folder given.

    digit28.png    28x28 gray PNG: a digit filling most of it
    digit80.png    80x80 RGB PNG
    digit300.jpg   300x300 RGB JPEG, quality 90
    page.jpg       2000x2800 RGB JPEG, quality 90: a letter page with one
                   digit about 500 px tall on it

Dark strokes on light, slightly noisy paper, drawn with Pillow (never MNIST).
Seeded: the same bytes on every run with the same Pillow.
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

PAPER = 232
INK = 40


def digit_patch(size: int, supersample: int = 4) -> Image.Image:
    """A '2'-like stroke figure (0 = ink, 255 = paper) of size x size, anti-aliased."""
    s = size * supersample
    patch = Image.new("L", (s, s), 255)
    draw = ImageDraw.Draw(patch)
    w = max(supersample, int(s * 0.09))
    # Upper bowl, diagonal, base: a handwritten 2 with a slight lean.
    draw.arc((0.22 * s, 0.08 * s, 0.78 * s, 0.52 * s), start=190, end=20, fill=0, width=w)
    draw.line((0.76 * s, 0.36 * s, 0.26 * s, 0.86 * s), fill=0, width=w)
    draw.line((0.26 * s, 0.86 * s, 0.80 * s, 0.84 * s), fill=0, width=w)
    # A short hook at the bottom right, as pen strokes trail off.
    draw.line((0.80 * s, 0.84 * s, 0.84 * s, 0.79 * s), fill=0, width=max(1, w // 2))
    return patch.resize((size, size), Image.LANCZOS)


def paper(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Light paper with a faint gradient and scanner noise (σ ≈ 2.5)."""
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    base = PAPER - 6 * y + 3 * x
    return base + rng.normal(0, 2.5, (height, width)).astype(np.float32)


def scan(width: int, height: int, digit: int, at: tuple[int, int], seed: int) -> np.ndarray:
    """Paper of width x height with a digit-sized patch of strokes at `at`."""
    rng = np.random.default_rng(seed)
    page = paper(width, height, rng)
    coverage = 1 - np.asarray(digit_patch(digit), dtype=np.float32) / 255  # 1 = ink
    x, y = at
    region = page[y:y + digit, x:x + digit]
    page[y:y + digit, x:x + digit] = region * (1 - coverage) + INK * coverage
    return np.clip(page, 0, 255).round().astype(np.uint8)


def tinted_rgb(gray: np.ndarray) -> Image.Image:
    """Gray as a color scan: warm paper, blue-black ink."""
    g = gray.astype(np.float32)
    rgb = np.stack([g * 1.00 + 4, g * 0.99 + 2, g * 0.94], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).round().astype(np.uint8), "RGB")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    Image.fromarray(scan(28, 28, 22, (3, 3), seed=28), "L").save(out / "digit28.png")
    tinted_rgb(scan(80, 80, 60, (11, 9), seed=80)).save(out / "digit80.png")
    tinted_rgb(scan(300, 300, 210, (48, 40), seed=300)).save(out / "digit300.jpg", quality=90)
    tinted_rgb(scan(2000, 2800, 620, (1100, 1600), seed=2800)).save(out / "page.jpg", quality=90)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_imaging_inputs.py OUTDIR")
    main(Path(sys.argv[1]))
