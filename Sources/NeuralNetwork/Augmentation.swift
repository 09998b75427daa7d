import Foundation

/// Ranges of the random distortions applied to training images (28×28, pixels in [0,1]).
public struct AugmentationSettings: Codable, Sendable, Equatable {
    /// Rotation uniformly in ±degrees.
    public var rotationDegrees: Float
    /// Shift uniformly in ±pixels, independently in x and y.
    public var shiftPixels: Float
    /// Scale uniformly in [1 − scale, 1 + scale].
    public var scale: Float
    /// Elastic distortion (Simard et al. 2003): per-pixel random displacements, smoothed by a
    /// Gaussian of `elasticSigma` pixels and multiplied by `elasticAlpha`. 0 turns it off.
    public var elasticAlpha: Float
    public var elasticSigma: Float

    public init(rotationDegrees: Float = 12, shiftPixels: Float = 2.5, scale: Float = 0.12, elasticAlpha: Float = 0, elasticSigma: Float = 5) {
        self.rotationDegrees = rotationDegrees
        self.shiftPixels = shiftPixels
        self.scale = scale
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
    }
}

/// Random affine (+ optional elastic) distortion with bilinear sampling. The same random
/// stream gives the same image, whatever thread runs it.
public struct Augmenter: Sendable {
    public let settings: AugmentationSettings
    private let kernel: [Float]

    public init(_ settings: AugmentationSettings) {
        precondition(settings.scale >= 0 && settings.scale < 1, "scale range must stay within (0, 2)")
        self.settings = settings
        let sigma = max(settings.elasticSigma, 0.1)
        let radius = Int((3 * sigma).rounded(.up))
        let weights = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        kernel = weights.map { $0 / total }
    }

    /// Writes a distorted copy of `source` (784 pixels) to `target`.
    public func augment(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, random: inout SeededRandom) {
        let angle = random.uniform(-settings.rotationDegrees, settings.rotationDegrees) * .pi / 180
        let scale = random.uniform(1 - settings.scale, 1 + settings.scale)
        let shiftX = random.uniform(-settings.shiftPixels, settings.shiftPixels)
        let shiftY = random.uniform(-settings.shiftPixels, settings.shiftPixels)
        var displacementX = [Float](repeating: 0, count: 784)
        var displacementY = [Float](repeating: 0, count: 784)
        if settings.elasticAlpha > 0 {
            displacementX = elasticField(&random)
            displacementY = elasticField(&random)
        }
        // Output pixel p samples the source at M⁻¹(p − c − shift) + c (+ elastic offset), where
        // M rotates by `angle` and scales by `scale` about the center c.
        let center: Float = 13.5
        let (cosine, sine) = (cosf(angle) / scale, sinf(angle) / scale)
        for y in 0..<28 {
            for x in 0..<28 {
                let u = Float(x) - center - shiftX
                let v = Float(y) - center - shiftY
                let sourceX = cosine * u + sine * v + center + displacementX[y * 28 + x]
                let sourceY = -sine * u + cosine * v + center + displacementY[y * 28 + x]
                target[y * 28 + x] = bilinear(source, sourceX, sourceY)
            }
        }
    }

    /// Uniform(−1, 1) noise, Gaussian-smoothed (separable), times alpha.
    private func elasticField(_ random: inout SeededRandom) -> [Float] {
        var noise = (0..<784).map { _ in random.uniform(-1, 1) }
        let radius = kernel.count / 2
        for horizontal in [true, false] {
            var smoothed = [Float](repeating: 0, count: 784)
            for y in 0..<28 {
                for x in 0..<28 {
                    var sum: Float = 0
                    for k in -radius...radius {
                        let (sx, sy) = horizontal ? (x + k, y) : (x, y + k)
                        if sx >= 0 && sx < 28 && sy >= 0 && sy < 28 { sum += kernel[k + radius] * noise[sy * 28 + sx] }
                    }
                    smoothed[y * 28 + x] = sum
                }
            }
            noise = smoothed
        }
        return noise.map { $0 * settings.elasticAlpha }
    }
}

/// The image at a fractional position, bilinearly interpolated; background (0) outside.
func bilinear(_ image: UnsafePointer<Float>, _ x: Float, _ y: Float) -> Float {
    let (x0, y0) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
    let (fx, fy) = (x - Float(x0), y - Float(y0))
    func pixel(_ px: Int, _ py: Int) -> Float {
        px >= 0 && px < 28 && py >= 0 && py < 28 ? image[py * 28 + px] : 0
    }
    let top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx
    let bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy
}
