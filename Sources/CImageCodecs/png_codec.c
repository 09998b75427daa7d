// libpng front: a corrupt or truncated PNG becomes an error code and a message.
#include "image_codecs.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

typedef struct source {
    const uint8_t *data;
    size_t size, pos;
    // Set by the handlers and read after the longjmp in the function that
    // called setjmp: volatile, or their values there are indeterminate.
    volatile int truncated;
    volatile int invalid_size;
    volatile int over_budget;
    char *message;
    dgt_png_header *header;       // where a refused IHDR size is reported
    int64_t deadline_ns;          // thread CPU time at which the decode stops
    size_t work;                  // bytes read and made since the clock was last read
} source;

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void on_error(png_structp png, png_const_charp text) {
    source *s = png_get_error_ptr(png);
    if (!s->truncated) snprintf(s->message, DGT_MESSAGE_MAX, "%s", text);
    // png_check_IHDR's verdict, raised after the IHDR CRC passed. If the
    // declared size is what it refused (zero, or past libpng's own user
    // limit), report the size; IHDR is always the first chunk.
    if (s->header && strcmp(text, "Invalid IHDR data") == 0 && s->size >= 24) {
        uint32_t width = be32(s->data + 16), height = be32(s->data + 20);
        if (width == 0 || height == 0 || width > png_get_user_width_max(png) ||
            height > png_get_user_height_max(png)) {
            s->header->width = width;
            s->header->height = height;
            s->invalid_size = 1;
        }
    }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

// Counts `work` bytes towards the next look at the CPU clock, which is a system
// call: once per 64 KiB, its cost is lost in the decoding it guards.
static void spend(png_structp png, source *s, size_t work) {
    s->work += work;
    if (s->work < (64u << 10)) return;
    s->work = 0;
    if (dgt_thread_cpu_ns() >= s->deadline_ns) {
        s->over_budget = 1;
        png_error(png, "over the decode work budget");
    }
}

static void on_read(png_structp png, png_bytep out, size_t n) {
    source *s = png_get_io_ptr(png);
    // A read is worth at least 64 bytes: a file of tiny chunks is still work.
    spend(png, s, n + 64);
    if (s->size - s->pos < n) {
        s->truncated = 1;
        snprintf(s->message, DGT_MESSAGE_MAX, "premature end of data");
        png_error(png, "premature end of data");
    }
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

// Creates both structs before any setjmp, so the jump target never sees a
// pointer that changed after the jump buffer was set.
static int open_reader(source *s, const uint8_t *data, size_t size, int64_t deadline_ns, char *message,
                       png_structp *png, png_infop *info) {
    memset(s, 0, sizeof *s);
    s->data = data;
    s->size = size;
    s->deadline_ns = deadline_ns;
    s->message = message;
    message[0] = 0;
    *info = NULL;
    *png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, on_error, on_warning);
    if (*png) *info = png_create_info_struct(*png);
    if (!*info) {
        png_destroy_read_struct(png, NULL, NULL);
        return DGT_ERR_NOMEM;
    }
    png_set_read_fn(*png, s, on_read);
    // Only IHDR, PLTE, tRNS, IDAT and IEND make the pixels. Every other chunk,
    // known to libpng or not, is skipped (its CRC still checked): never
    // inflated (a thousand zTXt chunks of 8 MB each cost 86 s of CPU), never
    // stored (a cache of 1 holds none; 0 would mean no limit).
    png_set_keep_unknown_chunks(*png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_chunk_cache_max(*png, 1);
    // A chunk claiming more is refused outright, skipped or not.
    png_set_chunk_malloc_max(*png, 8u << 20);
    return DGT_OK;
}

static int failure(const source *s) {
    if (s->over_budget) return DGT_ERR_BUDGET;
    return s->truncated ? DGT_ERR_TRUNCATED : DGT_ERR_CORRUPT;
}

int dgt_png_read_header(const uint8_t *data, size_t size, int64_t deadline_ns,
                        dgt_png_header *out, char message[DGT_MESSAGE_MAX]) {
    source s;
    png_structp png;
    png_infop info;
    if (open_reader(&s, data, size, deadline_ns, message, &png, &info) != DGT_OK) return DGT_ERR_NOMEM;
    s.header = out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return s.invalid_size ? DGT_ERR_DIMENSIONS : failure(&s);
    }
    png_read_info(png, info);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->color_type = png_get_color_type(png, info);
    out->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    out->has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    png_destroy_read_struct(&png, &info, NULL);
    return DGT_OK;
}

static inline uint8_t luma(unsigned r, unsigned g, unsigned b) {
    return (uint8_t)((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
}

static inline uint8_t over_white(unsigned v, unsigned a) {
    return (uint8_t)((v * a + 255u * (255u - a) + 127u) / 255u);
}

static void row_to_gray(const uint8_t *in, uint8_t *out, uint32_t width, int channels) {
    switch (channels) {
    case 1:
        memcpy(out, in, width);
        break;
    case 2:
        for (uint32_t x = 0; x < width; x++, in += 2) out[x] = over_white(in[0], in[1]);
        break;
    case 3:
        for (uint32_t x = 0; x < width; x++, in += 3) out[x] = luma(in[0], in[1], in[2]);
        break;
    default:
        for (uint32_t x = 0; x < width; x++, in += 4)
            out[x] = over_white(luma(in[0], in[1], in[2]), in[3]);
    }
}

// Each output pixel: the rounded mean of its block of sums (partial blocks at
// the right and bottom edges average what they have).
static void average_blocks(const uint16_t *sums, uint8_t *out, uint32_t width, uint32_t height, uint32_t d) {
    uint32_t out_w = (width + d - 1) / d, out_h = (height + d - 1) / d;
    for (uint32_t j = 0; j < out_h; j++) {
        uint32_t rows = height - j * d < d ? height - j * d : d;
        for (uint32_t i = 0; i < out_w; i++) {
            uint32_t n = rows * (width - i * d < d ? width - i * d : d);
            size_t k = (size_t)j * out_w + i;
            out[k] = (uint8_t)((sums[k] + n / 2) / n);
        }
    }
}

int dgt_png_decode_gray(const uint8_t *data, size_t size,
                        uint32_t max_width, uint32_t max_height, int scale_denom, int64_t deadline_ns,
                        uint8_t *out, size_t out_capacity,
                        char message[DGT_MESSAGE_MAX]) {
    int shift = scale_denom == 1 ? 0 : scale_denom == 2 ? 1 : scale_denom == 4 ? 2 : scale_denom == 8 ? 3 : -1;
    if (shift < 0) {
        snprintf(message, DGT_MESSAGE_MAX, "scale 1/%d is not 1, 1/2, 1/4 or 1/8", scale_denom);
        return DGT_ERR_UNSUPPORTED;
    }
    source s;
    png_structp png;
    png_infop info;
    if (open_reader(&s, data, size, deadline_ns, message, &png, &info) != DGT_OK) return DGT_ERR_NOMEM;
    png_bytep volatile row = NULL;
    uint8_t *volatile gray = NULL;
    uint16_t *volatile sums = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(row);
        free(gray);
        free(sums);
        png_destroy_read_struct(&png, &info, NULL);
        return failure(&s);
    }
    png_set_user_limits(png, max_width, max_height);
    png_read_info(png, info);

    uint32_t width = png_get_image_width(png, info);
    uint32_t height = png_get_image_height(png, info);
    uint32_t d = 1u << shift;
    uint32_t out_w = (width + d - 1) / d, out_h = (height + d - 1) / d;
    if ((size_t)out_w * out_h > out_capacity) {
        snprintf(message, DGT_MESSAGE_MAX, "output buffer too small");
        png_destroy_read_struct(&png, &info, NULL);
        return DGT_ERR_BUFFER;
    }
    int interlaced = png_get_interlace_type(png, info) == PNG_INTERLACE_ADAM7;
    png_set_expand(png);    // palette -> RGB, 1/2/4-bit gray -> 8-bit, tRNS -> alpha
    png_set_scale_16(png);  // 16-bit -> 8-bit, rounded
    png_read_update_info(png, info);

    // One row at a time, never the whole image: each row's luminance goes
    // straight to its output pixels. Adam7 passes are read as stored (no
    // png_set_interlace_handling, which needs every row in memory at once), each
    // pass's pixels to their own places. Reduced, the output pixels sum their
    // blocks first: at most 8 x 8 x 255, so 16 bits hold a sum.
    int channels = png_get_channels(png, info);
    row = malloc(png_get_rowbytes(png, info));
    gray = malloc(width);
    if (d > 1) sums = calloc((size_t)out_w * out_h, sizeof *sums);
    if (!row || !gray || (d > 1 && !sums)) png_error(png, "out of memory");
    for (int pass = 0; pass < (interlaced ? 7 : 1); pass++) {
        uint32_t x0 = interlaced ? PNG_PASS_START_COL(pass) : 0, dx = interlaced ? PNG_PASS_COL_OFFSET(pass) : 1;
        uint32_t y0 = interlaced ? PNG_PASS_START_ROW(pass) : 0, dy = interlaced ? PNG_PASS_ROW_OFFSET(pass) : 1;
        uint32_t cols = interlaced ? PNG_PASS_COLS(width, pass) : width;
        uint32_t rows = interlaced ? PNG_PASS_ROWS(height, pass) : height;
        if (cols == 0) continue;  // libpng skips a pass without columns
        for (uint32_t r = 0; r < rows; r++) {
            png_read_row(png, row, NULL);
            row_to_gray(row, gray, cols, channels);
            uint32_t y = y0 + r * dy;
            if (d == 1) {
                uint8_t *dest = out + (size_t)y * width;
                for (uint32_t i = 0, x = x0; i < cols; i++, x += dx) dest[x] = gray[i];
            } else {
                uint16_t *dest = sums + (size_t)(y >> shift) * out_w;
                for (uint32_t i = 0, x = x0; i < cols; i++, x += dx) dest[x >> shift] += gray[i];
            }
            spend(png, &s, (size_t)cols * (size_t)channels);
        }
    }
    png_read_end(png, NULL);  // verifies the remaining chunks' CRCs and IEND
    if (d > 1) average_blocks(sums, out, width, height, d);
    free(row);
    free(gray);
    free(sums);
    png_destroy_read_struct(&png, &info, NULL);
    return DGT_OK;
}

// ---- encoding ---------------------------------------------------------------

typedef struct sink {
    uint8_t *data;
    size_t size, capacity;
    char *message;
} sink;

static void on_encode_error(png_structp png, png_const_charp text) {
    sink *s = png_get_error_ptr(png);
    snprintf(s->message, DGT_MESSAGE_MAX, "%s", text);
    png_longjmp(png, 1);
}

static void on_write(png_structp png, png_bytep bytes, size_t n) {
    sink *s = png_get_io_ptr(png);
    if (s->capacity - s->size < n) {
        size_t capacity = s->capacity ? s->capacity : 1024;
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

int dgt_png_encode_gray(const uint8_t *pixels, uint32_t width, uint32_t height,
                        uint8_t **out, size_t *out_size,
                        char message[DGT_MESSAGE_MAX]) {
    sink s = {NULL, 0, 0, message};
    message[0] = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &s, on_encode_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return DGT_ERR_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(s.data);
        png_destroy_write_struct(&png, &info);
        return DGT_ERR_CORRUPT;
    }
    png_set_write_fn(png, &s, on_write, on_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * width);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = s.data;
    *out_size = s.size;
    return DGT_OK;
}

void dgt_free(void *p) { free(p); }
