// im2col for conv 3x3 (pad 1) on NHWC activations, and its adjoint. Inside the image a row of
// three taps is one contiguous copy of 3 pixels' channels.
#include "kernels.h"

#include <string.h>

// One channel (the first layer): a row is the 9 neighbours themselves; a copy call per three
// floats cost more than the copying.
static void im2col3x3_one_channel(const float *restrict x, long batch, long height, long width,
                                  float *restrict columns) {
    for (long image = 0; image < batch; image++)
        for (long i = 0; i < height; i++)
            for (long j = 0; j < width; j++) {
                float *row = columns + ((image * height + i) * width + j) * 9;
                const float *center = x + (image * height + i) * width + j;
                if (i >= 1 && i + 1 < height && j >= 1 && j + 1 < width) {
                    for (long dy = 0; dy < 3; dy++)
                        for (long dx = 0; dx < 3; dx++) row[dy * 3 + dx] = center[(dy - 1) * width + dx - 1];
                    continue;
                }
                for (long dy = 0; dy < 3; dy++)
                    for (long dx = 0; dx < 3; dx++) {
                        const long y = i + dy - 1, x0 = j + dx - 1;
                        const int inside = y >= 0 && y < height && x0 >= 0 && x0 < width;
                        row[dy * 3 + dx] = inside ? x[(image * height + y) * width + x0] : 0;
                    }
            }
}

void digitd_im2col3x3(const float *restrict x, long batch, long height, long width, long channels,
                      float *restrict columns) {
    if (channels == 1) {
        im2col3x3_one_channel(x, batch, height, width, columns);
        return;
    }
    const long row_length = 9 * channels;
    for (long image = 0; image < batch; image++)
        for (long i = 0; i < height; i++)
            for (long j = 0; j < width; j++) {
                float *row = columns + ((image * height + i) * width + j) * row_length;
                for (long dy = 0; dy < 3; dy++) {
                    const long y = i + dy - 1;
                    if (y >= 0 && y < height && j >= 1 && j + 1 < width) {
                        // Inside the image the three taps of a row are 3 neighbouring pixels: one copy.
                        memcpy(row + dy * 3 * channels, x + ((image * height + y) * width + j - 1) * channels,
                               sizeof(float) * (size_t)(3 * channels));
                        continue;
                    }
                    for (long dx = 0; dx < 3; dx++) {
                        const long x0 = j + dx - 1;
                        float *target = row + (dy * 3 + dx) * channels;
                        if (y < 0 || y >= height || x0 < 0 || x0 >= width) {
                            for (long c = 0; c < channels; c++) target[c] = 0;
                        } else {
                            const float *source = x + ((image * height + y) * width + x0) * channels;
                            for (long c = 0; c < channels; c++) target[c] = source[c];
                        }
                    }
                }
            }
}

void digitd_col2im3x3(const float *restrict columns, long batch, long height, long width, long channels,
                      float *restrict dx) {
    for (long i = 0; i < batch * height * width * channels; i++) dx[i] = 0;
    const long row_length = 9 * channels;
    for (long image = 0; image < batch; image++)
        for (long i = 0; i < height; i++)
            for (long j = 0; j < width; j++) {
                const float *row = columns + ((image * height + i) * width + j) * row_length;
                for (long dy = 0; dy < 3; dy++) {
                    const long y = i + dy - 1;
                    if (y < 0 || y >= height) continue;
                    for (long tap = 0; tap < 3; tap++) {
                        const long x0 = j + tap - 1;
                        if (x0 < 0 || x0 >= width) continue;
                        const float *source = row + (dy * 3 + tap) * channels;
                        float *target = dx + ((image * height + y) * width + x0) * channels;
                        for (long c = 0; c < channels; c++) target[c] += source[c];
                    }
                }
            }
}
