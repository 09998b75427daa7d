import Imaging

/// What the decoders must produce, computed independently of them.
extension Fixtures {
    /// Rec. 601 luminance as the decoders compute it (the formula).
    public static func luma(_ r: Int, _ g: Int, _ b: Int) -> Int {
        (19595 * r + 38470 * g + 7471 * b + 32768) >> 16
    }

    /// `value` composited over white with 8-bit `alpha`, rounded.
    public static func overWhite(_ value: Int, alpha: Int) -> Int {
        Int((Double(value * alpha + 255 * (255 - alpha)) / 255).rounded())
    }

    /// Mean absolute difference of two equally sized images.
    public static func meanAbsDiff(_ a: GrayImage, _ b: GrayImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var sum = 0
        for i in a.pixels.indices { sum += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(sum) / Double(max(1, a.pixels.count))
    }
}
