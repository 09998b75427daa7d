/// The one-time secret in the station's URL (as Jupyter's): every request carries it, in the
/// `X-Review-Token` header or a `token` query parameter.
public struct StationToken: Sendable, Equatable, CustomStringConvertible {
    public let description: String

    /// 32 random bytes from the kernel (SystemRandomNumberGenerator reads getrandom), as hex.
    public init() {
        var generator = SystemRandomNumberGenerator()
        description = (0..<32).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
    }

    /// Whether `given` is this token, in time that does not depend on where they differ.
    func admits(_ given: String?) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(description.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
