/// xorshift64*, for reproducible test data (the network's own generator is
/// NeuralNetwork.SeededRandom, SplitMix64). Two seedings, so that the data
/// each test was written with stays the same.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    public var state: UInt64

    /// The daemon tests' seeding.
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    /// The image corpus tests' seeding.
    public init(corpusSeed seed: UInt64) { state = seed &+ 0x632B_E59B_D9B4_E019 }

    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
