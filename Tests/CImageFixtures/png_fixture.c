// PNG fixture writer: libpng under setjmp, output to a growing memory buffer.
#include "image_fixtures.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

typedef struct sink {
    uint8_t *data;
    size_t size, capacity;
    char *message;
} sink;

static void on_error(png_structp png, png_const_charp text) {
    sink *s = png_get_error_ptr(png);
    snprintf(s->message, DGT_FX_MESSAGE_MAX, "libpng: %s", text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void on_write(png_structp png, png_bytep bytes, size_t n) {
    sink *s = png_get_io_ptr(png);
    if (s->capacity - s->size < n) {
        size_t capacity = s->capacity ? s->capacity : 4096;
        while (capacity - s->size < n) capacity *= 2;
        uint8_t *grown = realloc(s->data, capacity);
        if (!grown) png_error(png, "out of memory");
        s->data = grown;
        s->capacity = capacity;
    }
    memcpy(s->data + s->size, bytes, n);
    s->size += n;
}

static void on_flush(png_structp png) { (void)png; }

static int channels_of(int color_type) {
    switch (color_type) {
    case DGT_FX_PNG_GRAY: return 1;
    case DGT_FX_PNG_PALETTE: return 1;
    case DGT_FX_PNG_GRAY_ALPHA: return 2;
    case DGT_FX_PNG_RGB: return 3;
    case DGT_FX_PNG_RGBA: return 4;
    default: return 0;
    }
}

dgt_fx_png_options dgt_fx_png_defaults(uint32_t width, uint32_t height, int bit_depth, int color_type) {
    dgt_fx_png_options o;
    memset(&o, 0, sizeof o);
    o.width = width;
    o.height = height;
    o.bit_depth = bit_depth;
    o.color_type = color_type;
    o.compression_level = -1;
    return o;
}

size_t dgt_fx_png_row_bytes(uint32_t width, int bit_depth, int color_type) {
    return ((size_t)width * (size_t)channels_of(color_type) * (size_t)bit_depth + 7) / 8;
}

int dgt_fx_png_write(const dgt_fx_png_options *o, const uint8_t *rows, size_t rows_size,
                     uint8_t **out, size_t *out_size, char message[DGT_FX_MESSAGE_MAX]) {
    *out = NULL;
    *out_size = 0;
    message[0] = 0;
    if (channels_of(o->color_type) == 0) {
        snprintf(message, DGT_FX_MESSAGE_MAX, "unknown PNG colour type %d", o->color_type);
        return DGT_FX_ERROR;
    }
    size_t row_bytes = dgt_fx_png_row_bytes(o->width, o->bit_depth, o->color_type);
    if (o->height != 0 && rows_size / o->height < row_bytes) {
        snprintf(message, DGT_FX_MESSAGE_MAX, "%zu bytes of rows, need %zu x %u", rows_size, row_bytes,
                 o->height);
        return DGT_FX_ERROR;
    }

    sink s = {NULL, 0, 0, message};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(message, DGT_FX_MESSAGE_MAX, "out of memory");
        return DGT_FX_ERROR;
    }
    png_bytep *volatile row_pointers = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(s.data);
        free(row_pointers);
        png_destroy_write_struct(&png, &info);
        return DGT_FX_ERROR;
    }
    png_set_write_fn(png, &s, on_write, on_flush);
    if (o->compression_level >= 0) png_set_compression_level(png, o->compression_level);
    if (o->filter) png_set_filter(png, PNG_FILTER_TYPE_BASE, o->filter);
    png_set_IHDR(png, info, o->width, o->height, o->bit_depth, o->color_type,
                 o->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (o->color_type == DGT_FX_PNG_PALETTE) {
        if (!o->palette || o->palette_entries < 1 || o->palette_entries > 256)
            png_error(png, "a palette image needs 1-256 palette entries");
        png_color colors[256];
        for (int i = 0; i < o->palette_entries; i++) {
            colors[i].red = o->palette[3 * i];
            colors[i].green = o->palette[3 * i + 1];
            colors[i].blue = o->palette[3 * i + 2];
        }
        png_set_PLTE(png, info, colors, o->palette_entries);
        if (o->palette_alpha && o->palette_alpha_count > 0)
            png_set_tRNS(png, info, o->palette_alpha, o->palette_alpha_count, NULL);
    } else if (o->has_transparent_color) {
        if (o->color_type != DGT_FX_PNG_GRAY && o->color_type != DGT_FX_PNG_RGB)
            png_error(png, "a transparent colour needs colour type gray or RGB");
        png_color_16 color;
        memset(&color, 0, sizeof color);
        color.gray = o->transparent_color[0];
        color.red = o->transparent_color[0];
        color.green = o->transparent_color[1];
        color.blue = o->transparent_color[2];
        png_set_tRNS(png, info, NULL, 0, &color);
    }
    png_write_info(png, info);

    // png_write_image runs the Adam7 passes itself (png_set_interlace_handling).
    row_pointers = malloc(sizeof(png_bytep) * o->height);
    if (!row_pointers) png_error(png, "out of memory");
    for (uint32_t y = 0; y < o->height; y++) row_pointers[y] = (png_bytep)rows + (size_t)y * row_bytes;
    png_write_image(png, row_pointers);
    free(row_pointers);
    row_pointers = NULL;
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = s.data;
    *out_size = s.size;
    return DGT_FX_OK;
}

void dgt_fx_free(void *p) { free(p); }
