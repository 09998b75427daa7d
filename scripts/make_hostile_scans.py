#!/usr/bin/env python3
"""Write hostile scans for `make systemd-check`: files that once took digitd down.

    python3 scripts/make_hostile_scans.py OUTDIR
    python3 scripts/make_hostile_scans.py --ppm-40mp | cjpeg -progressive > big-progressive.jpg

pen-dot.png     28x28 gray: a 4x4 dark square with a light fringe, a stray pen mark on an
                empty form (the fitted ink once overran the 28x28 canvas: SIGILL).
aa-dot.png      28x28 gray: an anti-aliased dot about 4.5 px across (the same).
text-bomb.png   a 64x64 digit-free page carrying 1,000 zTXt chunks, each inflating to
                7.9 MB (libpng once inflated every one of them: 86 s of CPU).
poison-pill.png an ordinary small scan; the check's fault switch (DIGITD_FAULT_ON) makes
                digitd die on it.
--ppm-40mp      a 40-megapixel page with a "1" as PPM on stdout; cjpeg makes it a progressive
                JPEG that needs ~150 MB to decode (the unit's MemoryMax check).

Python's standard library only (the PNG chunks are written by hand), deterministic.
"""

import math
import os
import struct
import sys
import zlib


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, rows, extra=b""):
    """8-bit grayscale PNG; `rows` is a list of bytes objects; `extra` chunks go before IDAT."""
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + extra
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def pen_dot():
    rows = [[255] * 28 for _ in range(28)]
    for y in range(11, 17):
        for x in range(11, 17):
            rows[y][x] = 200              # the light fringe
    for y in range(12, 16):
        for x in range(12, 16):
            rows[y][x] = 20               # the 4x4 dark square
    return png(28, 28, rows)


def anti_aliased_dot():
    rows = []
    for y in range(28):
        row = []
        for x in range(28):
            d = math.hypot(x + 0.5 - 14.2, y + 0.5 - 13.7)
            ink = min(max(2.25 - d + 0.5, 0.0), 1.0)   # radius 2.25 px, one pixel of ramp
            row.append(round(255 - 235 * ink))
        rows.append(row)
    return png(28, 28, rows)


def text_bomb():
    payload = zlib.compress(b"\x00" * 7_900_000, 9)
    texts = b"".join(chunk(b"zTXt", b"Comment%d\x00\x00" % i + payload) for i in range(1000))
    rows = [[255] * 64 for _ in range(64)]
    return png(64, 64, rows, extra=texts)


def poison_pill():
    rows = [[255] * 40 for _ in range(40)]
    for y in range(8, 32):
        for x in range(18, 23):
            rows[y][x] = 30               # a "1"
    return png(40, 40, rows)


def ppm_40mp(stream):
    """A 6300x6300 white page with a thick "1" (P6), for cjpeg: as a progressive JPEG
    it takes ~150 MB to decode, more than a low MemoryMax allows."""
    side = 6300
    stream.write(b"P6\n%d %d\n255\n" % (side, side))
    white = b"\xff" * (3 * side)
    left, right = side // 2 - side // 30, side // 2 + side // 30
    bar = b"\xff" * (3 * left) + b"\x10" * (3 * (right - left)) + b"\xff" * (3 * (side - right))
    for y in range(side):
        stream.write(bar if side // 5 < y < 4 * side // 5 else white)


def main():
    if sys.argv[1:] == ["--ppm-40mp"]:
        ppm_40mp(sys.stdout.buffer)
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in [("pen-dot.png", pen_dot), ("aa-dot.png", anti_aliased_dot),
                       ("text-bomb.png", text_bomb), ("poison-pill.png", poison_pill)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
