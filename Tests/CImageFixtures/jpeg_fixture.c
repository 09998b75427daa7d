// JPEG fixture writer: libjpeg under setjmp, output through jpeg_mem_dest.
#include "image_fixtures.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct guard {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *message;
} guard;

static void on_error_exit(j_common_ptr cinfo) {
    guard *g = (guard *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(g->message, DGT_FX_MESSAGE_MAX, "libjpeg: %s", text);
    longjmp(g->jump, 1);
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

dgt_fx_jpeg_options dgt_fx_jpeg_defaults(uint32_t width, uint32_t height, int input_components) {
    dgt_fx_jpeg_options o;
    memset(&o, 0, sizeof o);
    o.width = width;
    o.height = height;
    o.input_components = input_components;
    o.quality = 95;
    o.write_adobe_marker = -1;
    o.write_jfif_header = -1;
    return o;
}

static J_COLOR_SPACE input_space(int components) {
    switch (components) {
    case 1: return JCS_GRAYSCALE;
    case 3: return JCS_RGB;
    case 4: return JCS_CMYK;
    default: return JCS_UNKNOWN;
    }
}

int dgt_fx_jpeg_write(const dgt_fx_jpeg_options *o, const uint8_t *pixels, size_t pixels_size,
                      uint8_t **out, size_t *out_size, char message[DGT_FX_MESSAGE_MAX]) {
    *out = NULL;
    *out_size = 0;
    message[0] = 0;
    J_COLOR_SPACE in_space = input_space(o->input_components);
    if (in_space == JCS_UNKNOWN) {
        snprintf(message, DGT_FX_MESSAGE_MAX, "input_components must be 1, 3 or 4, not %d",
                 o->input_components);
        return DGT_FX_ERROR;
    }
    size_t row_bytes = (size_t)o->width * (size_t)o->input_components;
    if (o->height != 0 && pixels_size / o->height < row_bytes) {
        snprintf(message, DGT_FX_MESSAGE_MAX, "%zu bytes of pixels, need %zu x %u", pixels_size, row_bytes,
                 o->height);
        return DGT_FX_ERROR;
    }
    if (o->num_scans < 0 || (o->num_scans > 0 && !o->scans)) {
        snprintf(message, DGT_FX_MESSAGE_MAX, "bad scan script");
        return DGT_FX_ERROR;
    }

    struct jpeg_compress_struct cinfo;
    guard g;
    memset(&g, 0, sizeof g);
    g.message = message;
    cinfo.err = jpeg_std_error(&g.pub);
    g.pub.error_exit = on_error_exit;
    g.pub.output_message = on_output_message;

    unsigned char *volatile buffer = NULL;
    unsigned long volatile buffer_size = 0;
    uint8_t *volatile row = NULL;
    jpeg_scan_info *volatile script = NULL;
    if (setjmp(g.jump)) {
        // Not freeing `buffer`: jpeg_mem_dest updates it only at the end, so after
        // a failure it may name memory libjpeg already replaced. A failed fixture
        // leaks at most that output buffer.
        jpeg_destroy_compress(&cinfo);
        free(row);
        free(script);
        return DGT_FX_ERROR;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, (unsigned long *)&buffer_size);

    cinfo.image_width = o->width;
    cinfo.image_height = o->height;
    cinfo.input_components = o->input_components;
    cinfo.in_color_space = in_space;
    jpeg_set_defaults(&cinfo);
    if (o->color_space) jpeg_set_colorspace(&cinfo, (J_COLOR_SPACE)o->color_space);
    jpeg_set_quality(&cinfo, o->quality ? o->quality : 75, TRUE);
    if (o->write_adobe_marker >= 0) cinfo.write_Adobe_marker = o->write_adobe_marker ? TRUE : FALSE;
    if (o->write_jfif_header >= 0) cinfo.write_JFIF_header = o->write_jfif_header ? TRUE : FALSE;
    if (o->full_chroma) {
        for (int c = 0; c < cinfo.num_components; c++) {
            cinfo.comp_info[c].h_samp_factor = 1;
            cinfo.comp_info[c].v_samp_factor = 1;
        }
    }
    cinfo.restart_interval = (unsigned)o->restart_interval;
    cinfo.optimize_coding = o->optimize_coding ? TRUE : FALSE;
    cinfo.arith_code = o->arithmetic ? TRUE : FALSE;
    if (o->num_scans > 0) {
        script = calloc((size_t)o->num_scans, sizeof(jpeg_scan_info));
        if (!script) {
            snprintf(message, DGT_FX_MESSAGE_MAX, "out of memory");
            longjmp(g.jump, 1);
        }
        for (int i = 0; i < o->num_scans; i++) {
            const dgt_fx_jpeg_scan *in = &o->scans[i];
            script[i].comps_in_scan = in->components_in_scan;
            for (int c = 0; c < 4; c++) script[i].component_index[c] = in->component_index[c];
            script[i].Ss = in->Ss;
            script[i].Se = in->Se;
            script[i].Ah = in->Ah;
            script[i].Al = in->Al;
        }
        cinfo.scan_info = script;
        cinfo.num_scans = o->num_scans;
    } else if (o->progressive) {
        jpeg_simple_progression(&cinfo);
    }

    jpeg_start_compress(&cinfo, TRUE);
    for (int i = 0; i < o->num_markers; i++) {
        const dgt_fx_jpeg_marker *m = &o->markers[i];
        jpeg_write_marker(&cinfo, m->marker, m->data, (unsigned)m->size);
    }
    if (o->invert_cmyk && o->input_components == 4) {
        row = malloc(row_bytes ? row_bytes : 1);
        if (!row) {
            snprintf(message, DGT_FX_MESSAGE_MAX, "out of memory");
            longjmp(g.jump, 1);
        }
    }
    while (cinfo.next_scanline < cinfo.image_height) {
        const uint8_t *source = pixels + (size_t)cinfo.next_scanline * row_bytes;
        JSAMPROW line = (JSAMPROW)source;
        if (row) {
            for (size_t i = 0; i < row_bytes; i++) row[i] = (uint8_t)(255 - source[i]);
            line = row;
        }
        jpeg_write_scanlines(&cinfo, &line, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(row);
    free(script);
    *out = buffer;
    *out_size = buffer_size;
    return DGT_FX_OK;
}
