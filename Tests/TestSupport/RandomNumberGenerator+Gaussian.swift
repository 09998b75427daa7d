extension RandomNumberGenerator {
    /// Roughly normal (sum of uniforms), mean 0, standard deviation 1: scanner noise.
    public mutating func gaussian() -> Double {
        (0..<12).reduce(0.0) { sum, _ in sum + Double.random(in: 0..<1, using: &self) } - 6
    }
}
