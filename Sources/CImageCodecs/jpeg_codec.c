// libjpeg front: a corrupt or truncated JPEG becomes an error code and a message.
#include "image_codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct guard {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    char *message;
    // Set by the handlers and read after the longjmp, in the function that
    // called setjmp: volatile, or its value there is indeterminate (C11
    // 7.13.2.1). Clang -O2 really does drop reads of such locals (it deleted
    // a read of cinfo.image_width there), so nothing is read from cinfo after
    // the jump; a refused size goes out through `header` instead.
    volatile int code;
    int max_scans;
    int64_t deadline_ns;          // thread CPU time at which the decode stops
    unsigned progress_calls;
    dgt_jpeg_header *header;      // where a refused frame size is reported
} guard;

static void fail(j_common_ptr cinfo, int code) {
    guard *g = (guard *)cinfo->err;
    g->code = code;
    if (code == DGT_ERR_TRUNCATED) {
        snprintf(g->message, DGT_MESSAGE_MAX, "premature end of data");
    } else if (g->message[0] == 0) {
        (*cinfo->err->format_message)(cinfo, g->message);
    }
    longjmp(g->jump, 1);
}

static void on_error_exit(j_common_ptr cinfo) {
    switch (cinfo->err->msg_code) {
    case JERR_INPUT_EOF:
        fail(cinfo, DGT_ERR_TRUNCATED);
        break;
    case JERR_EMPTY_IMAGE:      // zero width or height in the frame header
    case JERR_IMAGE_TOO_BIG: {  // past JPEG_MAX_DIMENSION (65500)
        guard *g = (guard *)cinfo->err;
        if (g->header && cinfo->is_decompressor) {
            // Both are raised after get_sof stored the declared size.
            g->header->width = ((j_decompress_ptr)cinfo)->image_width;
            g->header->height = ((j_decompress_ptr)cinfo)->image_height;
            fail(cinfo, DGT_ERR_DIMENSIONS);
        } else {
            fail(cinfo, DGT_ERR_CORRUPT);
        }
        break;
    }
    default:
        fail(cinfo, DGT_ERR_CORRUPT);
    }
}

// libjpeg reports damaged entropy-coded data as warnings and carries on, filling
// the damage with grey. A scan decoded that way would be classified as if it
// were real, so the warnings that mean "these pixels are not the file's" fail.
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF:
        fail(cinfo, DGT_ERR_TRUNCATED);
        break;
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:  // arithmetic coding's bad code: the rest of the scan is zeroed
    case JWRN_HIT_MARKER:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
        fail(cinfo, DGT_ERR_CORRUPT);
        break;
    default:
        cinfo->err->num_warnings++;  // harmless (junk between markers, odd APPn)
    }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

// A progressive JPEG may declare thousands of scans, each a pass over the whole
// coefficient buffer: a CPU bomb in a few kilobytes. Called once per row of
// MCUs per pass; the CPU clock (a system call) is read every 8th time.
static void on_progress(j_common_ptr cinfo) {
    guard *g = (guard *)cinfo->err;
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > g->max_scans) {
        snprintf(g->message, DGT_MESSAGE_MAX, "more than %d progressive scans", g->max_scans);
        g->code = DGT_ERR_CORRUPT;
        longjmp(g->jump, 1);
    }
    if (g->progress_calls++ % 8 == 0 && dgt_thread_cpu_ns() >= g->deadline_ns) {
        snprintf(g->message, DGT_MESSAGE_MAX, "over the decode work budget");
        g->code = DGT_ERR_BUDGET;
        longjmp(g->jump, 1);
    }
}

static void setup(struct jpeg_decompress_struct *cinfo, guard *g, char *message, int max_scans) {
    memset(g, 0, sizeof *g);
    message[0] = 0;
    g->message = message;
    g->max_scans = max_scans;
    cinfo->err = jpeg_std_error(&g->pub);
    g->pub.error_exit = on_error_exit;
    g->pub.emit_message = on_emit_message;
    g->pub.output_message = on_output_message;
}

int dgt_jpeg_read_header(const uint8_t *data, size_t size,
                         dgt_jpeg_header *out, char message[DGT_MESSAGE_MAX]) {
    struct jpeg_decompress_struct cinfo;
    guard g;
    setup(&cinfo, &g, message, 1 << 30);
    g.header = out;
    if (setjmp(g.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return g.code;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    out->width = cinfo.image_width;
    out->height = cinfo.image_height;
    out->components = cinfo.num_components;
    out->color_space = cinfo.jpeg_color_space;
    out->progressive = cinfo.progressive_mode;
    out->adobe_transform = cinfo.saw_Adobe_marker ? cinfo.Adobe_transform : -1;
    jpeg_destroy_decompress(&cinfo);
    return DGT_OK;
}

static inline uint8_t luma(unsigned r, unsigned g, unsigned b) {
    // Rec. 601, the weights JPEG's own Y uses, so every path agrees.
    return (uint8_t)((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
}

// CMYK as written by Adobe is stored inverted (255 = no ink); plain CMYK is not.
static void cmyk_row_to_gray(const uint8_t *in, uint8_t *out, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++, in += 4) {
        unsigned c = in[0], m = in[1], y = in[2], k = in[3];
        if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        out[x] = luma((c * k + 127) / 255, (m * k + 127) / 255, (y * k + 127) / 255);
    }
}

int dgt_jpeg_decode_gray(const uint8_t *data, size_t size, int scale_denom,
                         int max_scans, long max_memory, int64_t deadline_ns,
                         uint8_t *out, size_t out_capacity,
                         uint32_t *out_w, uint32_t *out_h,
                         char message[DGT_MESSAGE_MAX]) {
    struct jpeg_decompress_struct cinfo;
    guard g;
    uint8_t *volatile cmyk_row = NULL;
    setup(&cinfo, &g, message, max_scans);
    g.deadline_ns = deadline_ns;
    if (setjmp(g.jump)) {
        free(cmyk_row);
        jpeg_destroy_decompress(&cinfo);
        return g.code;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = max_memory;
    g.progress.progress_monitor = on_progress;
    cinfo.progress = &g.progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned)scale_denom;
    jpeg_calc_output_dimensions(&cinfo);
    if ((size_t)cinfo.output_width * cinfo.output_height > out_capacity) {
        snprintf(message, DGT_MESSAGE_MAX, "output buffer too small");
        jpeg_destroy_decompress(&cinfo);
        return DGT_ERR_BUFFER;
    }
    jpeg_start_decompress(&cinfo);
    uint32_t width = cinfo.output_width;
    if (cmyk) {
        cmyk_row = malloc((size_t)width * 4);
        if (!cmyk_row) {
            jpeg_destroy_decompress(&cinfo);
            return DGT_ERR_NOMEM;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *dest = out + (size_t)cinfo.output_scanline * width;
        JSAMPROW row = cmyk ? cmyk_row : dest;
        jpeg_read_scanlines(&cinfo, &row, 1);
        if (cmyk) cmyk_row_to_gray(cmyk_row, dest, width, cinfo.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&cinfo);
    *out_w = cinfo.output_width;
    *out_h = cinfo.output_height;
    free(cmyk_row);
    jpeg_destroy_decompress(&cinfo);
    return DGT_OK;
}
