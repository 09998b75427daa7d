import Imaging

/// A small seeded generator so renders are the same every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Roughly normal (sum of uniforms), mean 0, standard deviation 1.
    mutating func gaussian() -> Double {
        (0..<12).reduce(0.0) { sum, _ in sum + Double.random(in: 0..<1, using: &self) } - 6
    }
}

/// Renders an MNIST-convention digit (light ink on black) the way a scanner
/// would see it on paper: dark ink on light paper, enlarged, with margins and noise.
struct ScanRendering {
    var factor: Double
    var margins: (left: Int, top: Int, right: Int, bottom: Int)
    var paper: Double = 235
    var ink: Double = 35
    var noise: Double = 4

    func render(_ digit: GrayImage, rng: inout SplitMix64) -> GrayImage {
        let innerWidth = Int((Double(digit.width) * factor).rounded())
        let innerHeight = Int((Double(digit.height) * factor).rounded())
        let width = innerWidth + margins.left + margins.right
        let height = innerHeight + margins.top + margins.bottom
        var out = GrayImage(width: width, height: height, fill: 0)
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x - margins.left) + 0.5, v = Double(y - margins.top) + 0.5
                let amount = bilinear(digit, u / factor - 0.5, v / factor - 0.5) / 255
                let level = paper - (paper - ink) * amount + noise * rng.gaussian()
                out[x, y] = UInt8(min(max(level.rounded(), 0), 255))
            }
        }
        return out
    }

    private func bilinear(_ image: GrayImage, _ x: Double, _ y: Double) -> Double {
        func at(_ x: Int, _ y: Int) -> Double {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return 0 }
            return Double(image[x, y])
        }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}

/// Mean absolute difference between a normalized scan and an MNIST digit, in [0, 1].
func meanAbsoluteDifference(_ scan: NormalizedScan, _ digit: GrayImage) -> Double {
    zip(scan.pixels, digit.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1) / 255) } / Double(digit.pixels.count)
}
