// Element-by-element passes over activations and parameters: ReLU and the Adam update. In C
// because here they vectorize (compare-and-select, sqrt and divide on 4 floats at once) where
// the same Swift loops compiled to scalar code with a branch per element.
#include "kernels.h"

void digitd_relu_forward(float *restrict x, long count) {
    for (long i = 0; i < count; i++) x[i] = x[i] > 0 ? x[i] : 0;
}

void digitd_relu_backward(const float *restrict y, float *restrict dy, long count) {
    // Load dy first: with the load inside the condition, clang kept a branch per element.
    for (long i = 0; i < count; i++) {
        const float g = dy[i];
        dy[i] = y[i] > 0 ? g : 0;
    }
}

void digitd_add(float *restrict sum, const float *restrict x, long count) {
    for (long i = 0; i < count; i++) sum[i] += x[i];
}

void digitd_adam_update(float *restrict parameters, float *restrict m, float *restrict v,
                        const float *restrict gradient, long count, float beta1, float beta2,
                        float epsilon, float decay, float step_size, float second_correction) {
    for (long i = 0; i < count; i++) {
        const float g = gradient[i] + decay * parameters[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        // The elementwise builtin, not sqrtf: no errno to set (v ≥ 0), so the loop vectorizes.
        parameters[i] -= step_size * m[i] / (__builtin_elementwise_sqrt(v[i]) / second_correction + epsilon);
    }
}
