// Register-blocked SGEMM for the seed CNN's shapes (n = 32, 64, 128, 288, 3136: multiples of 16).
// OpenBLAS 0.3.21 does not recognize recent Xeons and falls back to its SSE3 kernels; these reach
// a good fraction of the FMA peak instead. Each instruction set's code lives in functions compiled
// for it alone (__attribute__((target))), and only runs after __builtin_cpu_supports says so.
#include "kernels.h"

#include <immintrin.h>

// The reduction dimension is cut into chunks so that a chunk of A's rows and B stay in L2.
enum { KC = 512 };

digitd_kernel_level digitd_kernels_supported(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return DIGITD_KERNELS_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return DIGITD_KERNELS_AVX2;
    return DIGITD_KERNELS_NONE;
}

// A(i, p) = a[i * row + p * inner]: row-major A (row = lda, inner = 1) or transposed (row = 1, inner = lda).
// A tile's accumulators start from zero, from C (beta 1, or a later chunk of the reduction), or from the bias.
enum { START_ZERO, START_C, START_BIAS };

// MARK: AVX-512: tiles of up to 6 rows × 4 vectors of 16 floats (24 accumulators in zmm registers).

__attribute__((target("avx512f"), always_inline)) static inline void
tile_avx512(const int mr, const int nv, long k, const float *a, long row, long inner,
            const float *b, long ldb, const float *bias, float *c, long ldc, int start) {
    __m512 acc[6][4];
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++)
            acc[r][v] = start == START_C ? _mm512_loadu_ps(c + r * ldc + 16 * v)
                      : start == START_BIAS ? _mm512_loadu_ps(bias + 16 * v) : _mm512_setzero_ps();
    for (long p = 0; p < k; p++) {
        __m512 bv[4];
        for (int v = 0; v < nv; v++) bv[v] = _mm512_loadu_ps(b + p * ldb + 16 * v);
        for (int r = 0; r < mr; r++) {
            __m512 ar = _mm512_set1_ps(a[r * row + p * inner]);
            for (int v = 0; v < nv; v++) acc[r][v] = _mm512_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
}

#define TILE512(MR, NV) tile_avx512(MR, NV, k, a, row, inner, b, ldb, bias, c, ldc, start)
#define ROWS512(MR) \
    switch (nv) { case 4: TILE512(MR, 4); break; case 3: TILE512(MR, 3); break; \
                  case 2: TILE512(MR, 2); break; default: TILE512(MR, 1); break; }

__attribute__((target("avx512f"))) static void
block_avx512(int mr, int nv, long k, const float *a, long row, long inner,
             const float *b, long ldb, const float *bias, float *c, long ldc, int start) {
    switch (mr) {
    case 6: ROWS512(6); break;
    case 5: ROWS512(5); break;
    case 4: ROWS512(4); break;
    case 3: ROWS512(3); break;
    case 2: ROWS512(2); break;
    default: ROWS512(1); break;
    }
}

// MARK: AVX2 + FMA: tiles of up to 6 rows × 2 vectors of 8 floats (12 accumulators in ymm registers).

__attribute__((target("avx2,fma"), always_inline)) static inline void
tile_avx2(const int mr, long k, const float *a, long row, long inner,
          const float *b, long ldb, const float *bias, float *c, long ldc, int start) {
    __m256 acc[6][2];
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < 2; v++)
            acc[r][v] = start == START_C ? _mm256_loadu_ps(c + r * ldc + 8 * v)
                      : start == START_BIAS ? _mm256_loadu_ps(bias + 8 * v) : _mm256_setzero_ps();
    for (long p = 0; p < k; p++) {
        __m256 b0 = _mm256_loadu_ps(b + p * ldb), b1 = _mm256_loadu_ps(b + p * ldb + 8);
        for (int r = 0; r < mr; r++) {
            __m256 ar = _mm256_broadcast_ss(a + r * row + p * inner);
            acc[r][0] = _mm256_fmadd_ps(ar, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(ar, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < 2; v++) _mm256_storeu_ps(c + r * ldc + 8 * v, acc[r][v]);
}

#define TILE2(MR) tile_avx2(MR, k, a, row, inner, b, ldb, bias, c, ldc, start)

__attribute__((target("avx2,fma"))) static void
block_avx2(int mr, long k, const float *a, long row, long inner,
           const float *b, long ldb, const float *bias, float *c, long ldc, int start) {
    switch (mr) {
    case 6: TILE2(6); break;
    case 5: TILE2(5); break;
    case 4: TILE2(4); break;
    case 3: TILE2(3); break;
    case 2: TILE2(2); break;
    default: TILE2(1); break;
    }
}

// MARK: driver

// op(B) = Bᵀ: one strip of `width` columns at a time (width rows of B, a chunk of the
// reduction) copied into the kernels' layout, where it stays in L1 for every row block of A.
// Copying the strip costs what the kernels' reads of it would; a whole transpose per call
// scattered its writes across rows and cost as much as small products themselves.
static __thread float strip[KC * 64];

static const float *pack_transposed_strip(const float *b, long ldb, long j, long nc, long p0, long kc) {
    for (long jj = 0; jj < nc; jj++)
        for (long p = 0; p < kc; p++) strip[p * nc + jj] = b[(j + jj) * ldb + p0 + p];
    return strip;
}

void digitd_sgemm(digitd_kernel_level level, int transpose_a, int transpose_b, long m, long n, long k,
                  const float *a, long lda, const float *b, long ldb, float beta, const float *bias,
                  float *c, long ldc) {
    const long row = transpose_a ? 1 : lda, inner = transpose_a ? lda : 1;
    const int wide = level == DIGITD_KERNELS_AVX512;
    const long width = wide ? 64 : 16;
    if (k == 0 && beta == 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = bias ? bias[j] : 0;
        return;
    }
    for (long p0 = 0; p0 < k; p0 += KC) {
        const long kc = k - p0 < KC ? k - p0 : KC;
        const int start = p0 > 0 || beta != 0 ? START_C : bias ? START_BIAS : START_ZERO;
        const float *ap = a + p0 * inner;
        // Strips of columns outside, row blocks inside: a strip of B is read from L1 by every block.
        for (long j = 0; j < n; j += width) {
            const long nc = n - j < width ? n - j : width;
            const float *bp = transpose_b ? pack_transposed_strip(b, ldb, j, nc, p0, kc) : b + p0 * ldb + j;
            const long bstride = transpose_b ? nc : ldb;
            for (long i = 0; i < m; i += 6) {
                const int mr = m - i < 6 ? (int)(m - i) : 6;
                if (wide)
                    block_avx512(mr, (int)(nc / 16), kc, ap + i * row, row, inner, bp, bstride, bias ? bias + j : NULL, c + i * ldc + j, ldc, start);
                else
                    block_avx2(mr, kc, ap + i * row, row, inner, bp, bstride, bias ? bias + j : NULL, c + i * ldc + j, ldc, start);
            }
        }
    }
}
