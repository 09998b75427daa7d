// maxpool 2x2 (stride 2) on NHWC activations, forward and backward. In C because these loops
// over channels vectorize here (the compare-and-select per channel), where Swift's did not.
#include "kernels.h"

void digitd_maxpool2_forward(const float *restrict x, long batch, long height, long width, long channels,
                             float *restrict y, unsigned char *restrict argmax) {
    const long out_height = height / 2, out_width = width / 2;
    for (long image = 0; image < batch; image++)
        for (long i = 0; i < out_height; i++)
            for (long j = 0; j < out_width; j++) {
                const float *p0 = x + ((image * height + 2 * i) * width + 2 * j) * channels;
                const float *p1 = p0 + channels, *p2 = p0 + width * channels, *p3 = p2 + channels;
                const long out = ((image * out_height + i) * out_width + j) * channels;
                for (long c = 0; c < channels; c++) {
                    // Strictly greater: the first of equal values wins, as in PyTorch.
                    float best = p0[c];
                    unsigned char which = 0;
                    which = p1[c] > best ? 1 : which; best = p1[c] > best ? p1[c] : best;
                    which = p2[c] > best ? 2 : which; best = p2[c] > best ? p2[c] : best;
                    which = p3[c] > best ? 3 : which; best = p3[c] > best ? p3[c] : best;
                    y[out + c] = best;
                    argmax[out + c] = which;
                }
            }
}

void digitd_maxpool2_backward(const float *restrict dy, const unsigned char *restrict argmax, long batch,
                              long height, long width, long channels, float *restrict dx) {
    const long out_height = height / 2, out_width = width / 2;
    if (height % 2 || width % 2)  // a last odd row or column is in no window
        for (long i = 0; i < batch * height * width * channels; i++) dx[i] = 0;
    for (long image = 0; image < batch; image++)
        for (long i = 0; i < out_height; i++)
            for (long j = 0; j < out_width; j++) {
                float *p0 = dx + ((image * height + 2 * i) * width + 2 * j) * channels;
                float *p1 = p0 + channels, *p2 = p0 + width * channels, *p3 = p2 + channels;
                const long out = ((image * out_height + i) * out_width + j) * channels;
                for (long c = 0; c < channels; c++) {
                    const float g = dy[out + c];
                    const unsigned char which = argmax[out + c];
                    p0[c] = which == 0 ? g : 0;
                    p1[c] = which == 1 ? g : 0;
                    p2[c] = which == 2 ? g : 0;
                    p3[c] = which == 3 ? g : 0;
                }
            }
}
