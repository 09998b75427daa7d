// Thin C front of libpng and libjpeg for the imaging module.
//
// Both libraries report fatal errors by longjmp (libpng) or by calling an
// error_exit hook that must not return (libjpeg). Swift cannot use setjmp, so
// every call into either library happens here, inside a function that set up
// its own jump buffer: a corrupt file becomes a return code and a message,
// never exit() or abort().
//
// Every decoder produces 8-bit luminance (Rec. 601 weights), with any alpha
// composited over white, because that is all the normalizer needs.
#ifndef DIGITD_IMAGE_CODECS_H
#define DIGITD_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    DGT_OK = 0,
    DGT_ERR_TRUNCATED = 1,   // input ended before the image did
    DGT_ERR_CORRUPT = 2,     // the library rejected the data; see message
    DGT_ERR_BUFFER = 3,      // caller's output buffer is too small
    DGT_ERR_NOMEM = 4,
    DGT_ERR_UNSUPPORTED = 5,
    // From the *_read_header functions only: the library itself refuses the
    // declared size (zero, or past its own maximum). out->width/height hold
    // that size so the caller can report it against its own limits.
    DGT_ERR_DIMENSIONS = 6,
    // The decode used up its CPU time (see dgt_thread_cpu_ns).
    DGT_ERR_BUDGET = 7,
};

#define DGT_MESSAGE_MAX 200

// The calling thread's CPU time in nanoseconds. A decode given a `deadline_ns`
// stops with DGT_ERR_BUDGET once this reaches it, so that no input can hold a
// worker thread for long.
int64_t dgt_thread_cpu_ns(void);

// ---- JPEG -----------------------------------------------------------------

typedef struct dgt_jpeg_header {
    uint32_t width, height;       // as stored in the frame header
    int components;               // 1, 3 or 4
    int color_space;              // libjpeg J_COLOR_SPACE of the file
    int progressive;
    int adobe_transform;          // -1 without an Adobe APP14 marker
} dgt_jpeg_header;

// Reads the frame header only (cheap; no pixel memory is allocated).
int dgt_jpeg_read_header(const uint8_t *data, size_t size,
                         dgt_jpeg_header *out, char message[DGT_MESSAGE_MAX]);

// Decodes to luminance at 1/scale_denom size (scale_denom 1, 2, 4 or 8: libjpeg's
// DCT scaling, far cheaper than decoding in full and shrinking afterwards).
// `out` must hold out_capacity bytes; the decoded size is written to *out_w/*out_h.
// max_scans bounds the number of progressive scans (a CPU-exhaustion guard),
// max_memory the bytes libjpeg may allocate, deadline_ns the thread CPU time.
int dgt_jpeg_decode_gray(const uint8_t *data, size_t size, int scale_denom,
                         int max_scans, long max_memory, int64_t deadline_ns,
                         uint8_t *out, size_t out_capacity,
                         uint32_t *out_w, uint32_t *out_h,
                         char message[DGT_MESSAGE_MAX]);

// ---- PNG ------------------------------------------------------------------

typedef struct dgt_png_header {
    uint32_t width, height;
    int bit_depth;
    int color_type;               // PNG_COLOR_TYPE_*
    int interlaced;
    int has_trns;
} dgt_png_header;

// Reads the chunks up to the first IDAT (until deadline_ns of thread CPU time).
int dgt_png_read_header(const uint8_t *data, size_t size, int64_t deadline_ns,
                        dgt_png_header *out, char message[DGT_MESSAGE_MAX]);

// Decodes any PNG (all bit depths and colour types, tRNS, interlaced) to 8-bit
// luminance composited over white, reduced to 1/scale_denom (1, 2, 4 or 8) by
// area averaging: each output pixel is the rounded mean of its block, partial
// at the right and bottom edges. `out` holds ceil(width/scale_denom) *
// ceil(height/scale_denom) bytes. Memory: that, plus a row and the block sums.
int dgt_png_decode_gray(const uint8_t *data, size_t size,
                        uint32_t max_width, uint32_t max_height, int scale_denom, int64_t deadline_ns,
                        uint8_t *out, size_t out_capacity,
                        char message[DGT_MESSAGE_MAX]);

// Encodes 8-bit grayscale as PNG into a malloc'd buffer the caller frees.
int dgt_png_encode_gray(const uint8_t *pixels, uint32_t width, uint32_t height,
                        uint8_t **out, size_t *out_size,
                        char message[DGT_MESSAGE_MAX]);

void dgt_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
