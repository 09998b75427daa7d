// Test and benchmark fixture encoders: write any PNG or JPEG variant to memory
// through libpng and libjpeg, so tests can build their inputs instead of
// committing binary files. Used only by tests and benchmarks, never by digitd.
//
// Conventions shared by both writers:
//   * Results go to a malloc'd buffer (*out, *out_size) the caller releases
//     with dgt_fx_free(). On failure *out is NULL and *out_size 0.
//   * Every function returns DGT_FX_OK (0) or DGT_FX_ERROR and then writes a
//     one-line reason into `message` (DGT_FX_MESSAGE_MAX bytes, NUL-terminated).
//     Library errors are caught with setjmp: a bad option never aborts the
//     process.
//   * Options structs are zero-initialisable: all-zero fields mean "libpng /
//     libjpeg default" unless stated otherwise. Initialise with
//     dgt_fx_png_defaults() / dgt_fx_jpeg_defaults() and override fields.
#ifndef DIGITD_IMAGE_FIXTURES_H
#define DIGITD_IMAGE_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { DGT_FX_OK = 0, DGT_FX_ERROR = 1 };
#define DGT_FX_MESSAGE_MAX 200

// ---- PNG --------------------------------------------------------------------

// PNG colour types, equal to libpng's PNG_COLOR_TYPE_* values.
enum {
    DGT_FX_PNG_GRAY = 0,
    DGT_FX_PNG_RGB = 2,
    DGT_FX_PNG_PALETTE = 3,
    DGT_FX_PNG_GRAY_ALPHA = 4,
    DGT_FX_PNG_RGBA = 6,
};

typedef struct dgt_fx_png_options {
    uint32_t width, height;
    int bit_depth;              // 1, 2, 4, 8 or 16, as the colour type allows
    int color_type;             // DGT_FX_PNG_*
    int interlaced;             // nonzero: Adam7
    // Palette (colour type PALETTE): `palette_entries` RGB triples (1-256).
    const uint8_t *palette;
    int palette_entries;
    // tRNS. For PALETTE: alpha of the first `palette_alpha_count` entries
    // (the rest are opaque). For GRAY / RGB: with has_transparent_color set,
    // pixels equal to transparent_color (gray uses [0]; RGB uses [0..2]; values
    // in the image's bit depth) are fully transparent.
    const uint8_t *palette_alpha;
    int palette_alpha_count;
    int has_transparent_color;
    uint16_t transparent_color[3];
    int compression_level;      // zlib level 0-9; -1 = libpng default
    int filter;                 // 0 = libpng default; else PNG_FILTER_* mask
} dgt_fx_png_options;

dgt_fx_png_options dgt_fx_png_defaults(uint32_t width, uint32_t height, int bit_depth, int color_type);

// Bytes in one row of packed PNG samples: ceil(width * channels * bit_depth / 8).
size_t dgt_fx_png_row_bytes(uint32_t width, int bit_depth, int color_type);

// Writes a PNG. `rows` holds height rows of dgt_fx_png_row_bytes() bytes each,
// in PNG's own sample layout: channels interleaved (gray[alpha], RGB[A] or
// palette index), samples below 8 bits packed most significant bits first,
// 16-bit samples big-endian. `rows_size` must be at least height * row bytes.
int dgt_fx_png_write(const dgt_fx_png_options *options, const uint8_t *rows, size_t rows_size,
                     uint8_t **out, size_t *out_size, char message[DGT_FX_MESSAGE_MAX]);

// ---- JPEG -------------------------------------------------------------------

// Colour spaces, equal to libjpeg's J_COLOR_SPACE values.
enum {
    DGT_FX_JCS_UNKNOWN = 0,
    DGT_FX_JCS_GRAYSCALE = 1,
    DGT_FX_JCS_RGB = 2,
    DGT_FX_JCS_YCbCr = 3,
    DGT_FX_JCS_CMYK = 4,
    DGT_FX_JCS_YCCK = 5,
};

// One scan of a custom progressive (or multi-scan sequential) script, as in
// libjpeg's jpeg_scan_info: the components it covers, the spectral band
// Ss..Se and the successive-approximation bits Ah/Al.
typedef struct dgt_fx_jpeg_scan {
    int components_in_scan;     // 1-4
    int component_index[4];
    int Ss, Se, Ah, Al;
} dgt_fx_jpeg_scan;

// An APPn or COM marker written right after the SOI/JFIF/Adobe markers with
// jpeg_write_marker (e.g. marker 0xE1 with "Exif\0\0" + TIFF data for EXIF).
typedef struct dgt_fx_jpeg_marker {
    int marker;                 // 0xE0-0xEF (APPn) or 0xFE (COM)
    const uint8_t *data;
    size_t size;                // at most 65533
} dgt_fx_jpeg_marker;

typedef struct dgt_fx_jpeg_options {
    uint32_t width, height;     // 1-65500
    int input_components;       // 1 (gray), 3 (RGB) or 4 (CMYK) samples per pixel
    int color_space;            // DGT_FX_JCS_* stored in the file; 0 = libjpeg's
                                // default for the input (gray, YCbCr, CMYK)
    int quality;                // 1-100 (0 = 75)
    int progressive;            // nonzero: jpeg_simple_progression
    const dgt_fx_jpeg_scan *scans;  // custom scan script (overrides progressive)
    int num_scans;
    int write_adobe_marker;     // -1 = libjpeg default (yes for RGB/CMYK/YCCK), 0 no, 1 yes
    int write_jfif_header;      // -1 = libjpeg default (yes for gray/YCbCr), 0 no, 1 yes
    int invert_cmyk;            // 4 components: store 255 - v (Adobe convention,
                                // stored 255 = no ink) instead of the given ink
    int full_chroma;            // nonzero: no chroma subsampling (1x1 everywhere)
    int restart_interval;       // MCUs between RST markers, 0 = none
    int optimize_coding;
    int arithmetic;             // arithmetic instead of Huffman coding
    const dgt_fx_jpeg_marker *markers;
    int num_markers;
} dgt_fx_jpeg_options;

dgt_fx_jpeg_options dgt_fx_jpeg_defaults(uint32_t width, uint32_t height, int input_components);

// Writes a JPEG (through jpeg_mem_dest). `pixels` holds width * height *
// input_components bytes, row-major, channels interleaved. CMYK values are
// stored as given, or as 255 - v with invert_cmyk (so a caller passing ink
// amounts, 0 = no ink, gets Adobe-style inverted data with invert_cmyk = 1).
int dgt_fx_jpeg_write(const dgt_fx_jpeg_options *options, const uint8_t *pixels, size_t pixels_size,
                      uint8_t **out, size_t *out_size, char message[DGT_FX_MESSAGE_MAX]);

void dgt_fx_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
