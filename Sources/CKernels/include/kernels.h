#ifndef DIGITD_KERNELS_H
#define DIGITD_KERNELS_H

/// Which instruction set digitd_sgemm uses: picked once from the CPU (cpuid), never
/// anything the CPU lacks.
typedef enum {
    DIGITD_KERNELS_NONE = 0,    // neither: callers use BLAS
    DIGITD_KERNELS_AVX2 = 1,    // AVX2 + FMA (e.g. AMD Zen 3)
    DIGITD_KERNELS_AVX512 = 2,  // AVX-512F
} digitd_kernel_level;

/// The best level this CPU supports.
digitd_kernel_level digitd_kernels_supported(void);

/// Row-major C = op(A)·op(B) + beta·C (+ bias, a row of n added to every row, when not NULL;
/// only with beta 0) for beta 0 or 1. op(A) is m×k: A itself (row stride lda)
/// or, with transpose_a, Aᵀ of A stored k×m. op(B) is k×n: B itself (row stride ldb) or, with
/// transpose_b, Bᵀ of B stored n×k. n must be a multiple of 16, and level at most
/// digitd_kernels_supported() and not NONE (a lower one is fine: tests run each variant).
void digitd_sgemm(digitd_kernel_level level, int transpose_a, int transpose_b, long m, long n, long k,
                  const float *a, long lda, const float *b, long ldb, float beta, const float *bias,
                  float *c, long ldc);

/// maxpool 2x2, stride 2, NHWC: y = max of each window, argmax = which of its four (0 1 / 2 3).
void digitd_maxpool2_forward(const float *x, long batch, long height, long width, long channels,
                             float *y, unsigned char *argmax);

/// Each gradient of y goes to its window's max; the rest of dx is 0.
void digitd_maxpool2_backward(const float *dy, const unsigned char *argmax, long batch,
                              long height, long width, long channels, float *dx);

/// Each pixel's 3x3 neighbourhood (zero padded) as one row of 9·channels values, in
/// (dy, dx, channel) order; NHWC input.
void digitd_im2col3x3(const float *x, long batch, long height, long width, long channels, float *columns);

/// The adjoint of im2col: every column entry's gradient added back to the pixel it came from.
void digitd_col2im3x3(const float *columns, long batch, long height, long width, long channels, float *dx);

/// x = max(x, 0), in place.
void digitd_relu_forward(float *x, long count);

/// dy = 0 where the ReLU's output y is not positive (in place).
void digitd_relu_backward(const float *y, float *dy, long count);

/// sum += x.
void digitd_add(float *sum, const float *x, long count);

/// torch.optim.Adam's step on `count` parameters with moments m and v: g = gradient + decay·θ,
/// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − step_size·m / (√v / second_correction + ε).
void digitd_adam_update(float *parameters, float *m, float *v, const float *gradient, long count,
                        float beta1, float beta2, float epsilon, float decay, float step_size,
                        float second_correction);

#endif
