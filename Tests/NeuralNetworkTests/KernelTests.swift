import CKernels
import Foundation
@testable import NeuralNetwork
import Testing

/// Each instruction-set variant of the matrix kernel this CPU can run, against the definition.
@Suite struct KernelTests {
    static let levels = [DIGITD_KERNELS_AVX2, DIGITD_KERNELS_AVX512].filter { $0.rawValue <= digitd_kernels_supported().rawValue }

    /// Shapes of the network's products plus odd sizes: row tails of 1-5, widths of 16-64·k+16,
    /// reductions longer than one cache chunk.
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 16, 1), (7, 32, 9), (13, 64, 288), (6, 128, 3136), (5, 288, 64), (11, 80, 700), (3, 48, 513)]

    /// The exact value of each entry (in Double), and the sum of its terms' magnitudes, which
    /// bounds float32 rounding: a wrong index or a lost term is off by a whole term or more.
    static func reference(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [Float], _ b: [Float], _ beta: Float, _ c: [Float]) -> [(value: Double, magnitude: Double)] {
        (0..<(m * n)).map { index in
            let (i, j) = (index / n, index % n)
            var sum = Double(beta) * Double(c[index])
            var magnitude = abs(sum)
            for p in 0..<k {
                let term = Double(transposeA ? a[p * m + i] : a[i * k + p]) * Double(transposeB ? b[j * k + p] : b[p * n + j])
                sum += term
                magnitude += abs(term)
            }
            return (sum, magnitude)
        }
    }

    @Test(.enabled(if: !levels.isEmpty, "this CPU has neither AVX2+FMA nor AVX-512: only OpenBLAS runs"))
    func everyVariantMatchesTheDefinition() {
        var random = SeededRandom(seed: 21)
        for level in Self.levels {
            for (m, n, k) in Self.shapes {
                let cases: [(Bool, Bool, Float, Bool)] = [(false, false, 0, false), (true, false, 1, false), (false, true, 0, true), (true, true, 1, false), (false, false, 0, true)]
                for (transposeA, transposeB, beta, withBias) in cases {
                    let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }
                    let b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
                    let bias = (0..<n).map { _ in random.uniform(-1, 1) }
                    var c = (0..<(m * n)).map { _ in random.uniform(-1, 1) }
                    // Bias (with beta 0) is the same as C preloaded with the bias rows and beta 1.
                    let expected = Self.reference(
                        transposeA, transposeB, m, n, k, a, b, withBias ? 1 : beta,
                        withBias ? (0..<(m * n)).map { bias[$0 % n] } : c)
                    bias.withUnsafeBufferPointer { bias in
                        digitd_sgemm(level, transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, transposeA ? m : k, b, transposeB ? k : n, beta,
                                     withBias ? bias.baseAddress : nil, &c, n)
                    }
                    let worst = zip(c, expected).map { abs(Double($0) - $1.value) / $1.magnitude }.max()!
                    #expect(worst < 1e-6, "level \(level.rawValue), m \(m) n \(n) k \(k), transposes \(transposeA) \(transposeB), beta \(beta), bias \(withBias): \(worst)")
                }
            }
        }
    }

    /// im2col against its definition, for one channel (the first layer's own path) and several.
    @Test func im2colMatchesTheDefinition() {
        var random = SeededRandom(seed: 22)
        for (height, width, channels) in [(28, 28, 1), (3, 5, 1), (1, 1, 1), (4, 3, 3), (14, 14, 32)] {
            let batch = 2
            let x = (0..<(batch * height * width * channels)).map { _ in random.uniform(-1, 1) }
            var columns = [Float](repeating: .nan, count: batch * height * width * 9 * channels)
            digitd_im2col3x3(x, batch, height, width, channels, &columns)
            var mismatches = 0
            for n in 0..<batch { for i in 0..<height { for j in 0..<width { for dy in 0..<3 { for dx in 0..<3 { for c in 0..<channels {
                let (y, x0) = (i + dy - 1, j + dx - 1)
                let inside = y >= 0 && y < height && x0 >= 0 && x0 < width
                let expected = inside ? x[((n * height + y) * width + x0) * channels + c] : 0
                let row = ((n * height + i) * width + j) * 9 * channels
                if columns[row + (dy * 3 + dx) * channels + c] != expected { mismatches += 1 }
            } } } } } }
            #expect(mismatches == 0, "\(height)x\(width)x\(channels)")
        }
    }

    /// What this CPU has, read from the kernel's /proc/cpuinfo flags rather than through the
    /// engine's own cpuid query: AVX-512F, AVX2 with FMA, or neither.
    static let cpuLevel: digitd_kernel_level = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return DIGITD_KERNELS_NONE }
        let flags = Set(line.split(separator: " ").map(String.init))
        if flags.contains("avx512f") { return DIGITD_KERNELS_AVX512 }
        if flags.contains("avx2") && flags.contains("fma") { return DIGITD_KERNELS_AVX2 }
        return DIGITD_KERNELS_NONE
    }()

    /// The kernels the engine must run here: the CPU's best, or the lower ones DIGITD_KERNELS asks for.
    static var expectedLevel: digitd_kernel_level {
        switch ProcessInfo.processInfo.environment["DIGITD_KERNELS"] {
        case "blas": DIGITD_KERNELS_NONE
        case "avx2" where cpuLevel == DIGITD_KERNELS_AVX512: DIGITD_KERNELS_AVX2
        default: cpuLevel
        }
    }

    static let names = [DIGITD_KERNELS_NONE: "blas", DIGITD_KERNELS_AVX2: "avx2", DIGITD_KERNELS_AVX512: "avx512"]

    /// The engine picks the best kernels the CPU has (AVX-512 on a Xeon that has it, AVX2 on a CPU
    /// with AVX2 and FMA only, OpenBLAS on neither), and its products are that kernel's, and right.
    @Test func theEngineUsesTheBestKernelsTheCPUHas() {
        let expected = Self.expectedLevel
        #expect(digitd_kernels_supported() == Self.cpuLevel,
                "cpuid gives \(Self.names[digitd_kernels_supported()] ?? "?"), /proc/cpuinfo \(Self.names[Self.cpuLevel] ?? "?")")
        #expect(kernelLevel == expected, "the engine runs \(Self.names[kernelLevel] ?? "?"), this CPU's best is \(Self.names[expected] ?? "?")")
        #expect(kernelDescription.hasPrefix(Self.names[expected] ?? "?"), "\(kernelDescription)")

        // The first dense layer's product (a width our kernels take), through the engine's own gemm.
        var random = SeededRandom(seed: 23)
        let (m, n, k) = (6, 128, 3136)
        let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }
        let b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in gemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, n: n, k: k, beta: 0) }
            }
        }
        let reference = Self.reference(false, false, m, n, k, a, b, 0, [Float](repeating: 0, count: m * n))
        let worst = zip(c, reference).map { abs(Double($0) - $1.value) / $1.magnitude }.max()!
        #expect(worst < 1e-6, "the engine's product is off the definition by \(worst)")
        if expected != DIGITD_KERNELS_NONE {
            var direct = [Float](repeating: .nan, count: m * n)
            digitd_sgemm(expected, 0, 0, m, n, k, a, k, b, n, 0, nil, &direct, n)
            #expect(c == direct, "the engine's product is not the \(Self.names[expected] ?? "?") kernel's")
        }
    }
}
