// Writes the fuzzer's seed corpus: one small scan of a "0" in each PNG and JPEG flavour
// the decoder handles (DESIGN §4), through the tests' fixture writers (Tests/CImageFixtures),
// so every colour type, bit depth, interlace, scan script and marker the decoder has a path
// for starts out covered. Small images keep each run fast and leave the fuzzer room to grow.
//
//     make fuzz-seeds        (builds this with cc and runs it: Fuzz/corpus/seeds/)
#include "image_fixtures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Ink coverage in [0, 1] at pixel (x, y) of a w x h scan: an anti-aliased ring, a "0" in
// the middle of the page with margins, as a digit would be scanned.
static double ink(int x, int y, int w, int h) {
    double cx = w / 2.0, cy = h / 2.0, rx = 0.22 * w, ry = 0.32 * h, pen = 0.09 * (w < h ? w : h);
    double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
    double radius = sqrt(dx * dx + dy * dy);
    double distance = fabs(radius - 1) * (rx < ry ? rx : ry);  // about pixels from the ring's centre line
    double cover = pen / 2 + 0.5 - distance;
    return cover < 0 ? 0 : cover > 1 ? 1 : cover;
}

// What a seed shows: the ring, nothing (a blank page), or the ring light on dark (MNIST's way).
typedef enum { RING, BLANK, LIGHT_ON_DARK } scene;

// The scan's level (0 = no ink, 1 = full ink) at a pixel.
static double level(scene s, int x, int y, int w, int h) { return s == BLANK ? 0 : ink(x, y, w, h); }

static const char *out_dir;

static void save(const char *name, const uint8_t *bytes, size_t size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void check(int status, const char *name, const char *message) {
    if (status != DGT_FX_OK) {
        fprintf(stderr, "%s: %s\n", name, message);
        exit(1);
    }
}

// ---- PNG --------------------------------------------------------------------

typedef struct png_seed {
    const char *name;
    int width, height, bit_depth, color_type, interlaced;
    scene scene;
    int transparency;   // tRNS: palette alphas, or the paper as the transparent colour
} png_seed;

static const png_seed png_seeds[] = {
    {"gray-1bit.png", 32, 32, 1, DGT_FX_PNG_GRAY, 0, RING, 0},
    {"gray-2bit.png", 32, 32, 2, DGT_FX_PNG_GRAY, 0, RING, 0},
    {"gray-4bit.png", 32, 32, 4, DGT_FX_PNG_GRAY, 0, RING, 0},
    {"gray-8bit-28x28.png", 28, 28, 8, DGT_FX_PNG_GRAY, 0, RING, 0},
    {"gray-8bit-light-on-dark.png", 28, 28, 8, DGT_FX_PNG_GRAY, 0, LIGHT_ON_DARK, 0},
    {"gray-8bit-blank.png", 24, 24, 8, DGT_FX_PNG_GRAY, 0, BLANK, 0},
    {"gray-8bit-interlaced.png", 33, 29, 8, DGT_FX_PNG_GRAY, 1, RING, 0},
    {"gray-16bit.png", 24, 32, 16, DGT_FX_PNG_GRAY, 0, RING, 0},
    {"gray-8bit-trns.png", 32, 32, 8, DGT_FX_PNG_GRAY, 0, RING, 1},
    {"gray-alpha-8bit.png", 32, 32, 8, DGT_FX_PNG_GRAY_ALPHA, 0, RING, 0},
    {"gray-alpha-16bit-interlaced.png", 20, 24, 16, DGT_FX_PNG_GRAY_ALPHA, 1, RING, 0},
    {"rgb-8bit.png", 32, 40, 8, DGT_FX_PNG_RGB, 0, RING, 0},
    {"rgb-8bit-interlaced.png", 40, 32, 8, DGT_FX_PNG_RGB, 1, RING, 0},
    {"rgb-16bit-trns.png", 24, 24, 16, DGT_FX_PNG_RGB, 0, RING, 1},
    {"rgba-8bit.png", 32, 32, 8, DGT_FX_PNG_RGBA, 0, RING, 0},
    {"rgba-16bit.png", 20, 20, 16, DGT_FX_PNG_RGBA, 0, RING, 0},
    {"palette-1bit.png", 32, 32, 1, DGT_FX_PNG_PALETTE, 0, RING, 0},
    {"palette-2bit-trns.png", 32, 32, 2, DGT_FX_PNG_PALETTE, 0, RING, 1},
    {"palette-4bit-interlaced.png", 30, 34, 4, DGT_FX_PNG_PALETTE, 1, RING, 0},
    {"palette-8bit-trns.png", 32, 32, 8, DGT_FX_PNG_PALETTE, 0, RING, 1},
};

static int channels(int color_type) {
    switch (color_type) {
    case DGT_FX_PNG_GRAY_ALPHA: return 2;
    case DGT_FX_PNG_RGB: return 3;
    case DGT_FX_PNG_RGBA: return 4;
    default: return 1;
    }
}

// Sample c of a pixel at ink level v, in [0, max]: blue-black ink on off-white paper, or as
// alpha over a transparent page; a palette image stores an index into the ramp below.
static unsigned png_sample(const png_seed *s, int c, double v) {
    unsigned max = (1u << s->bit_depth) - 1;
    if (s->color_type == DGT_FX_PNG_PALETTE) return (unsigned)lround(v * max);
    if (s->scene == LIGHT_ON_DARK) v = 1 - v;
    int alpha = s->color_type == DGT_FX_PNG_GRAY_ALPHA || s->color_type == DGT_FX_PNG_RGBA;
    if (alpha && c == channels(s->color_type) - 1) return (unsigned)lround(v * max);
    static const double paper[3] = {0.96, 0.95, 0.92}, pen[3] = {0.10, 0.12, 0.35};
    int k = s->color_type == DGT_FX_PNG_GRAY || s->color_type == DGT_FX_PNG_GRAY_ALPHA ? 0 : c;
    double value = alpha ? pen[k] : paper[k] + (pen[k] - paper[k]) * v;
    return (unsigned)lround(value * max);
}

static void write_png(const png_seed *s) {
    size_t row_bytes = dgt_fx_png_row_bytes(s->width, s->bit_depth, s->color_type);
    uint8_t *rows = calloc(row_bytes * s->height, 1);
    int n = channels(s->color_type);
    for (int y = 0; y < s->height; y++) {
        uint8_t *row = rows + row_bytes * y;
        for (int x = 0; x < s->width; x++) {
            double v = level(s->scene, x, y, s->width, s->height);
            for (int c = 0; c < n; c++) {
                unsigned sample = png_sample(s, c, v);
                size_t i = (size_t)x * n + c;
                if (s->bit_depth == 16) {
                    row[2 * i] = (uint8_t)(sample >> 8);
                    row[2 * i + 1] = (uint8_t)sample;
                } else if (s->bit_depth == 8) {
                    row[i] = (uint8_t)sample;
                } else {  // packed, most significant bits first
                    size_t bit = i * s->bit_depth;
                    row[bit / 8] |= (uint8_t)(sample << (8 - s->bit_depth - bit % 8));
                }
            }
        }
    }
    dgt_fx_png_options o = dgt_fx_png_defaults(s->width, s->height, s->bit_depth, s->color_type);
    o.interlaced = s->interlaced;
    uint8_t palette[3 * 256], alphas[256];
    if (s->color_type == DGT_FX_PNG_PALETTE) {
        o.palette_entries = 1 << s->bit_depth;
        for (int i = 0; i < o.palette_entries; i++) {
            double v = o.palette_entries > 1 ? (double)i / (o.palette_entries - 1) : 0;
            palette[3 * i] = (uint8_t)lround(245 - 225 * v);
            palette[3 * i + 1] = (uint8_t)lround(242 - 212 * v);
            palette[3 * i + 2] = (uint8_t)lround(235 - 150 * v);
            alphas[i] = (uint8_t)lround(255 * v);
        }
        o.palette = palette;
        if (s->transparency) {
            o.palette_alpha = alphas;
            o.palette_alpha_count = o.palette_entries;
        }
    } else if (s->transparency) {
        o.has_transparent_color = 1;
        for (int c = 0; c < 3; c++) o.transparent_color[c] = (uint16_t)png_sample(s, c, 0);
    }
    uint8_t *bytes;
    size_t size;
    char message[DGT_FX_MESSAGE_MAX];
    check(dgt_fx_png_write(&o, rows, row_bytes * s->height, &bytes, &size, message), s->name, message);
    save(s->name, bytes, size);
    dgt_fx_free(bytes);
    free(rows);
}

// ---- JPEG -------------------------------------------------------------------

// Two-scan sequential script (Y, then Cb and Cr): a multi-scan baseline file.
static const dgt_fx_jpeg_scan sequential_scans[] = {
    {1, {0}, 0, 63, 0, 0},
    {2, {1, 2}, 0, 63, 0, 0},
};

// Appends TIFF integers in the block's byte order.
typedef struct tiff_writer {
    uint8_t *out;
    size_t size;
    int big_endian;
} tiff_writer;

static void put16(tiff_writer *w, unsigned v) {
    w->out[w->size++] = (uint8_t)(w->big_endian ? v >> 8 : v);
    w->out[w->size++] = (uint8_t)(w->big_endian ? v : v >> 8);
}

static void put32(tiff_writer *w, unsigned long v) {
    put16(w, (unsigned)(w->big_endian ? v >> 16 : v & 0xFFFF));
    put16(w, (unsigned)(w->big_endian ? v & 0xFFFF : v >> 16));
}

// An APP1 "Exif\0\0" payload whose TIFF block holds only an orientation tag.
static size_t exif(uint8_t out[64], int orientation, int big_endian) {
    static const uint8_t head[] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I'};
    tiff_writer w = {out, sizeof head, big_endian};
    memcpy(out, head, sizeof head);
    if (big_endian) out[6] = out[7] = 'M';
    put16(&w, 42);
    put32(&w, 8);   // IFD0 right after the header
    put16(&w, 1);   // one entry: Orientation, SHORT, count 1, value
    put16(&w, 0x0112); put16(&w, 3); put32(&w, 1); put16(&w, (unsigned)orientation); put16(&w, 0);
    put32(&w, 0);   // no next IFD
    return w.size;
}

typedef struct jpeg_seed {
    const char *name;
    int width, height, components;
    scene scene;
    int color_space, quality, progressive, full_chroma, restart_interval, optimize, arithmetic;
    int adobe, invert_cmyk, sequential_scans, exif_orientation, exif_big_endian;
} jpeg_seed;

static const jpeg_seed jpeg_seeds[] = {
    {.name = "gray-baseline.jpg", .width = 32, .height = 32, .components = 1, .quality = 90},
    {.name = "gray-baseline-28x28-light-on-dark.jpg", .width = 28, .height = 28, .components = 1,
     .scene = LIGHT_ON_DARK, .quality = 90},
    {.name = "gray-progressive.jpg", .width = 40, .height = 32, .components = 1, .quality = 85, .progressive = 1},
    {.name = "gray-blank-quality10.jpg", .width = 24, .height = 24, .components = 1, .scene = BLANK, .quality = 10},
    {.name = "ycbcr-baseline-420.jpg", .width = 40, .height = 40, .components = 3, .quality = 85},
    {.name = "ycbcr-baseline-444-quality100.jpg", .width = 32, .height = 24, .components = 3, .quality = 100,
     .full_chroma = 1},
    {.name = "ycbcr-progressive.jpg", .width = 33, .height = 31, .components = 3, .quality = 80, .progressive = 1},
    {.name = "ycbcr-restart-optimized.jpg", .width = 48, .height = 32, .components = 3, .quality = 80,
     .restart_interval = 1, .optimize = 1},
    {.name = "ycbcr-arithmetic.jpg", .width = 32, .height = 32, .components = 3, .quality = 80, .arithmetic = 1},
    {.name = "ycbcr-two-scans.jpg", .width = 32, .height = 32, .components = 3, .quality = 80, .sequential_scans = 1},
    {.name = "rgb-no-transform.jpg", .width = 24, .height = 24, .components = 3, .color_space = DGT_FX_JCS_RGB,
     .quality = 85, .adobe = 1},
    {.name = "cmyk-plain.jpg", .width = 32, .height = 32, .components = 4, .quality = 85, .adobe = 0},
    {.name = "cmyk-adobe-inverted.jpg", .width = 32, .height = 32, .components = 4, .quality = 85, .adobe = 1,
     .invert_cmyk = 1},
    {.name = "ycck-adobe-inverted.jpg", .width = 32, .height = 32, .components = 4, .color_space = DGT_FX_JCS_YCCK,
     .quality = 85, .adobe = 1, .invert_cmyk = 1},
    {.name = "exif-orientation-6.jpg", .width = 40, .height = 24, .components = 3, .quality = 85,
     .exif_orientation = 6},
    {.name = "exif-orientation-3-big-endian.jpg", .width = 24, .height = 40, .components = 1, .quality = 85,
     .exif_orientation = 3, .exif_big_endian = 1},
    {.name = "exif-orientation-8-progressive.jpg", .width = 32, .height = 24, .components = 3, .quality = 85,
     .progressive = 1, .exif_orientation = 8},
};

static void write_jpeg(const jpeg_seed *s) {
    size_t count = (size_t)s->width * s->height * s->components;
    uint8_t *pixels = malloc(count);
    static const double paper[4] = {0.96, 0.95, 0.92, 0}, pen[4] = {0.10, 0.12, 0.35, 0};
    for (int y = 0; y < s->height; y++) {
        for (int x = 0; x < s->width; x++) {
            double v = level(s->scene, x, y, s->width, s->height);
            if (s->scene == LIGHT_ON_DARK) v = 1 - v;
            uint8_t *p = pixels + ((size_t)y * s->width + x) * s->components;
            for (int c = 0; c < s->components; c++) {
                // CMYK holds ink amounts: the pen in K, a tint of paper in C, M, Y.
                double value = s->components == 4 ? (c == 3 ? 0.85 * v : 0.04 * (1 - v) + 0.1 * v)
                             : paper[c] + (pen[c] - paper[c]) * v;
                p[c] = (uint8_t)lround(255 * value);
            }
        }
    }
    dgt_fx_jpeg_options o = dgt_fx_jpeg_defaults(s->width, s->height, s->components);
    o.color_space = s->color_space;
    o.quality = s->quality;
    o.progressive = s->progressive;
    o.full_chroma = s->full_chroma;
    o.restart_interval = s->restart_interval;
    o.optimize_coding = s->optimize;
    o.arithmetic = s->arithmetic;
    if (s->components == 4) o.write_adobe_marker = s->adobe;
    o.invert_cmyk = s->invert_cmyk;
    if (s->sequential_scans) {
        o.scans = sequential_scans;
        o.num_scans = sizeof sequential_scans / sizeof sequential_scans[0];
    }
    uint8_t exif_data[64];
    dgt_fx_jpeg_marker marker = {0xE1, exif_data, 0};
    if (s->exif_orientation) {
        marker.size = exif(exif_data, s->exif_orientation, s->exif_big_endian);
        o.markers = &marker;
        o.num_markers = 1;
    }
    uint8_t *bytes;
    size_t size;
    char message[DGT_FX_MESSAGE_MAX];
    check(dgt_fx_jpeg_write(&o, pixels, count, &bytes, &size, message), s->name, message);
    save(s->name, bytes, size);
    dgt_fx_free(bytes);
    free(pixels);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    for (size_t i = 0; i < sizeof png_seeds / sizeof png_seeds[0]; i++) write_png(&png_seeds[i]);
    for (size_t i = 0; i < sizeof jpeg_seeds / sizeof jpeg_seeds[0]; i++) write_jpeg(&jpeg_seeds[i]);
    return 0;
}
