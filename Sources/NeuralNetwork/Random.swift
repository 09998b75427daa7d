import Foundation

/// SplitMix64: small, fast, and the same sequence on every machine, so a seed fixes the
/// initial weights, the shuffles and every augmentation of a training run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for one (seed, a, b), e.g. (run seed, epoch, example index):
    /// augmenting an example does not depend on which thread did it or in what order.
    public init(seed: UInt64, _ a: UInt64, _ b: UInt64 = 0) {
        var mixer = SeededRandom(seed: seed)
        mixer.state = mixer.next() ^ a
        mixer.state = mixer.next() ^ b
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits, exactly representable as Float.
    public mutating func unit() -> Float { Float(next() >> 40) * 0x1p-24 }

    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * unit() }

    /// Standard normal (Box-Muller).
    public mutating func normal() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
