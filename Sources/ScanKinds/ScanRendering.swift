import Imaging
import NeuralNetwork

/// Renders an MNIST-convention digit (light ink on black) the way a scanner
/// would see it on paper: dark ink on light paper, enlarged `factor` times
/// (sampled bilinearly), with margins and noise.
public struct ScanRendering: Sendable {
    public var factor: Double
    public var margins: (left: Int, top: Int, right: Int, bottom: Int)
    public var paper: Double
    public var ink: Double
    /// Standard deviation of the scanner's noise, in gray levels (needs a generator).
    public var noise: Double
    /// How a level becomes a gray value: to the nearest, or cut toward zero (the
    /// fine-tune tests' scans were made so).
    public var rounding: FloatingPointRoundingRule

    public init(factor: Double, margins: (left: Int, top: Int, right: Int, bottom: Int),
                paper: Double = 235, ink: Double = 35, noise: Double = 4,
                rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        self.factor = factor
        self.margins = margins
        self.paper = paper
        self.ink = ink
        self.noise = noise
        self.rounding = rounding
    }

    /// The scan of `digit`, with noise from `rng`.
    public func render(_ digit: GrayImage, rng: inout SeededRandom) -> GrayImage {
        render(width: digit.width, height: digit.height, noise: { Double(rng.normal()) }) { digit.bilinear($0, $1) }
    }

    /// The scan of `digit` without noise.
    public func render(_ digit: GrayImage) -> GrayImage {
        render(width: digit.width, height: digit.height) { digit.bilinear($0, $1) }
    }

    /// The scan of a `width` x `height` digit whose ink (0-255) at the digit's
    /// coordinates (x, y) is `ink(x, y)`: a digit drawn in another style.
    public func render(width: Int, height: Int, noise gaussian: () -> Double = { 0 },
                       ink sample: (Double, Double) -> Double) -> GrayImage {
        let innerWidth = Int((Double(width) * factor).rounded())
        let innerHeight = Int((Double(height) * factor).rounded())
        let outWidth = innerWidth + margins.left + margins.right
        let outHeight = innerHeight + margins.top + margins.bottom
        var out = GrayImage(width: outWidth, height: outHeight, fill: 0)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let u = Double(x - margins.left) + 0.5, v = Double(y - margins.top) + 0.5
                let amount = min(max(sample(u / factor - 0.5, v / factor - 0.5), 0), 255)
                let level = paper - (paper - ink) * amount / 255 + noise * gaussian()
                out[x, y] = UInt8(min(max(level.rounded(rounding), 0), 255))
            }
        }
        return out
    }
}
