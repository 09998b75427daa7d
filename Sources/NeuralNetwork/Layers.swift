import CBLAS
import CKernels
import Foundation

// Every layer as a pair of plain functions, forward and backward side by side, on NHWC
// activations (see SeedCNN). Backward functions *add* parameter gradients (like PyTorch's
// .grad) and *write* input gradients.

typealias Floats = UnsafeMutablePointer<Float>
typealias ConstFloats = UnsafePointer<Float>

/// The fastest matrix kernels this CPU runs (AVX-512, or AVX2+FMA), or none. DIGITD_KERNELS=avx2
/// or =blas picks a lower one, to compare the variants; never one the CPU lacks.
let kernelLevel: digitd_kernel_level = {
    let supported = digitd_kernels_supported()
    let requested: digitd_kernel_level? = switch ProcessInfo.processInfo.environment["DIGITD_KERNELS"] {
    case "blas": DIGITD_KERNELS_NONE
    case "avx2": DIGITD_KERNELS_AVX2
    default: nil
    }
    guard let requested, requested.rawValue < supported.rawValue else { return supported }
    return requested
}()

/// "avx512", "avx2" or "blas": which matrix kernels run (for logs and benchmarks).
public var kernelDescription: String {
    switch kernelLevel {
    case DIGITD_KERNELS_AVX512: "avx512"
    case DIGITD_KERNELS_AVX2: "avx2"
    default: "blas (\(String(cString: openblas_get_corename())))"
    }
}

/// C = op(A)·op(B) + beta·C (+ a bias row added to every row of C, with beta 0), row-major, with
/// sizes in the math's order. Our own kernels take every product whose width is a multiple of 16
/// (all but the last layer's 10); OpenBLAS the rest, and everything on a CPU without AVX2.
@inline(__always)
func gemm(
    _ a: ConstFloats, transposeA: Bool = false, _ b: ConstFloats, transposeB: Bool = false,
    _ c: Floats, m: Int, n: Int, k: Int, beta: Float, bias: ConstFloats? = nil
) {
    let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
    if kernelLevel != DIGITD_KERNELS_NONE && n % 16 == 0 {
        digitd_sgemm(kernelLevel, transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, lda, b, ldb, beta, bias, c, n)
        return
    }
    var beta = beta
    if let bias {
        for row in 0..<m { (c + row * n).update(from: bias, count: n) }
        beta = 1
    }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
}

// MARK: - conv 3x3, stride 1, zero padding 1

/// Copies each pixel's 3x3 neighbourhood into one row of `9 * channels` values, in
/// (dy, dx, channel) order to match weights [kh][kw][in][out]; zeros outside the image.
/// (In C, CKernels/im2col.c: there a row of three taps is one copy.)
func im2col3x3(_ x: ConstFloats, batch: Int, height: Int, width: Int, channels: Int, _ columns: Floats) {
    digitd_im2col3x3(x, batch, height, width, channels, columns)
}

/// The adjoint of im2col3x3: every column entry's gradient goes back to the pixel it was copied from.
func col2im3x3(_ columns: ConstFloats, batch: Int, height: Int, width: Int, channels: Int, _ dx: Floats) {
    digitd_col2im3x3(columns, batch, height, width, channels, dx)
}

/// y[n,i,j,o] = b[o] + Σ_{dy,dx,c} w[dy,dx,c,o] · x[n, i+dy-1, j+dx-1, c]  (cross-correlation, like PyTorch).
/// `columns` is scratch room for one image's columns (height·width × 9·inChannels).
func conv3x3Forward(
    _ x: ConstFloats, batch: Int, height: Int, width: Int, inChannels: Int,
    weights: ConstFloats, bias: ConstFloats, outChannels: Int, columns: Floats, _ y: Floats
) {
    // One image at a time, so its columns are still in L2 when the product reads them.
    let (pixels, k) = (height * width, 9 * inChannels)
    for image in 0..<batch {
        im2col3x3(x + image * pixels * inChannels, batch: 1, height: height, width: width, channels: inChannels, columns)
        gemm(columns, weights, y + image * pixels * outChannels, m: pixels, n: outChannels, k: k, beta: 0, bias: bias)
    }
}

/// dW += columnsᵀ·dy, db += Σ_rows dy, and (when dx is wanted) dx = col2im(dy·Wᵀ), image by
/// image through `columns` (scratch room for one image, as in the forward pass).
func conv3x3Backward(
    _ dy: ConstFloats, input x: ConstFloats, batch: Int, height: Int, width: Int, inChannels: Int,
    weights: ConstFloats, outChannels: Int, weightGradient: Floats, biasGradient: Floats,
    columns: Floats, _ dx: Floats?
) {
    let (pixels, k) = (height * width, 9 * inChannels)
    sumRows(dy, rows: batch * pixels, columns: outChannels, into: biasGradient)
    for image in 0..<batch {
        // The columns are built again rather than kept from the forward pass: by now those
        // would come from memory (MBs per batch), read down columns at half the product's speed.
        let imageGradient = dy + image * pixels * outChannels
        im2col3x3(x + image * pixels * inChannels, batch: 1, height: height, width: width, channels: inChannels, columns)
        gemm(columns, transposeA: true, imageGradient, weightGradient, m: k, n: outChannels, k: pixels, beta: 1)
        if let dx {  // the columns are used up: their room takes their gradient, which col2im reads back
            gemm(imageGradient, weights, transposeB: true, columns, m: pixels, n: k, k: outChannels, beta: 0)
            col2im3x3(columns, batch: 1, height: height, width: width, channels: inChannels, dx + image * pixels * inChannels)
        }
    }
}

func sumRows(_ m: ConstFloats, rows: Int, columns: Int, into sum: Floats) {
    for r in 0..<rows {
        let row = m + r * columns
        for c in 0..<columns { sum[c] += row[c] }
    }
}

// MARK: - ReLU (in place; in C, CKernels/elementwise.c, where the selects vectorize)

func reluForward(_ x: Floats, count: Int) {
    digitd_relu_forward(x, count)
}

/// Uses the forward *output*: relu(x) > 0 exactly where x > 0.
func reluBackward(output y: ConstFloats, _ dy: Floats, count: Int) {
    digitd_relu_backward(y, dy, count)
}

// MARK: - maxpool 2x2, stride 2

/// y = max of each 2x2 window; `argmax` records which of the four (0 1 / 2 3; the first on
/// ties, like PyTorch). In C (CKernels/pool.c), where the per-channel selects vectorize.
func maxPool2Forward(
    _ x: ConstFloats, batch: Int, height: Int, width: Int, channels: Int, _ y: Floats, argmax: UnsafeMutablePointer<UInt8>
) {
    digitd_maxpool2_forward(x, batch, height, width, channels, y, argmax)
}

/// Each output gradient goes to the input that was the max; the other three get 0.
func maxPool2Backward(
    _ dy: ConstFloats, argmax: UnsafePointer<UInt8>, batch: Int, height: Int, width: Int, channels: Int, _ dx: Floats
) {
    digitd_maxpool2_backward(dy, argmax, batch, height, width, channels, dx)
}

// MARK: - dense

/// y[n,o] = b[o] + Σ_i x[n,i] · w[i,o]
func denseForward(_ x: ConstFloats, batch: Int, inputs: Int, weights: ConstFloats, bias: ConstFloats, outputs: Int, _ y: Floats) {
    gemm(x, weights, y, m: batch, n: outputs, k: inputs, beta: 0, bias: bias)
}

/// dW += xᵀ·dy, db += Σ_rows dy, and (when wanted) dx = dy·Wᵀ.
func denseBackward(
    _ dy: ConstFloats, input x: ConstFloats, batch: Int, inputs: Int, weights: ConstFloats, outputs: Int,
    weightGradient: Floats, biasGradient: Floats, _ dx: Floats?
) {
    gemm(x, transposeA: true, dy, weightGradient, m: inputs, n: outputs, k: batch, beta: 1)
    sumRows(dy, rows: batch, columns: outputs, into: biasGradient)
    if let dx { gemm(dy, weights, transposeB: true, dx, m: batch, n: inputs, k: outputs, beta: 0) }
}

// MARK: - softmax cross-entropy on logits

/// Writes softmax(z) per row into `probabilities` and returns Σ_n −log p[n, label[n]]. A label of
/// `notADigit` (−1) targets the uniform distribution instead (outlier exposure, Hendrycks et
/// al. 2019): its loss is −(1/C) Σ_c log p[n, c].
func softmaxCrossEntropyForward(
    _ logits: ConstFloats, labels: UnsafePointer<Int32>, batch: Int, classes: Int, probabilities: Floats
) -> Float {
    var loss: Float = 0
    for r in 0..<batch {
        let z = logits + r * classes
        let p = probabilities + r * classes
        var largest = z[0]
        for c in 1..<classes { largest = max(largest, z[c]) }
        var total: Float = 0
        for c in 0..<classes {
            p[c] = expf(z[c] - largest)
            total += p[c]
        }
        for c in 0..<classes { p[c] /= total }
        // log-sum-exp form: exact even when p[label] underflows.
        let logSumExp = logf(total) + largest
        if labels[r] == notADigit {
            var mean: Float = 0
            for c in 0..<classes { mean += z[c] }
            loss += logSumExp - mean / Float(classes)
        } else {
            loss += logSumExp - z[Int(labels[r])]
        }
    }
    return loss
}

/// The training label of an example that is not a digit.
public let notADigit: Int32 = -1

/// d(loss / normalizer)/dz = (p − target) / normalizer, where the loss is averaged over `normalizer`
/// examples and the target is onehot(label), or uniform for `notADigit`.
func softmaxCrossEntropyBackward(
    probabilities: ConstFloats, labels: UnsafePointer<Int32>, batch: Int, classes: Int, normalizer: Int, _ dz: Floats
) {
    let scale = 1 / Float(normalizer)
    for r in 0..<batch {
        for c in 0..<classes { dz[r * classes + c] = probabilities[r * classes + c] * scale }
        if labels[r] == notADigit {
            for c in 0..<classes { dz[r * classes + c] -= scale / Float(classes) }
        } else {
            dz[r * classes + Int(labels[r])] -= scale
        }
    }
}
