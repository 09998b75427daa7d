import Imaging
import ScanKinds
import NeuralNetwork
import TestSupport
import Testing

/// MNIST digits rendered as realistic scans must normalize back to (nearly)
/// the digits themselves: the one end-to-end check of every normalization step.
@Suite(.enabled(if: MNIST.available, MNIST.absent))
struct MNISTRoundTripTests {
    static let count = 300

    func roundTrip(encode: (GrayImage) throws -> [UInt8]) throws -> (mean: Double, worst: Double, p95: Double) {
        var rng = SeededRandom(seed: 2024)
        let decoder = ImageDecoder()
        let normalizer = ScanNormalizer()
        var differences: [Double] = []
        let digits = try MNIST.load("t10k", limit: Self.count)
        for digit in (0..<digits.count).map(digits.image) {
            let rendering = ScanRendering(
                factor: Double.random(in: 3...6, using: &rng),
                margins: (Int.random(in: 8...60, using: &rng), Int.random(in: 8...60, using: &rng),
                          Int.random(in: 8...60, using: &rng), Int.random(in: 8...60, using: &rng)))
            let scan = rendering.render(digit, rng: &rng)
            let decoded = try decoder.decode(try encode(scan))
            let normalized = try normalizer.normalize(decoded.image)
            #expect(normalized.polarity == .darkOnLight)
            #expect(!normalized.isBlank)
            differences.append(meanAbsoluteDifference(normalized, digit))
        }
        differences.sort()
        let mean = differences.reduce(0, +) / Double(differences.count)
        return (mean, differences.last!, differences[differences.count * 95 / 100])
    }

    @Test func pngScansNormalizeBackToTheDigit() throws {
        let result = try roundTrip { try PNGEncoder.encode($0) }
        print("MNIST round trip (PNG, \(Self.count) digits): mean abs diff \(result.mean), p95 \(result.p95), worst \(result.worst)")
        #expect(result.mean < 0.045)
        #expect(result.p95 < 0.08)
    }

    @Test func jpegScansAtQuality75NormalizeBackToTheDigit() throws {
        let result = try roundTrip { try Fixtures.jpeg($0, quality: 75) }
        print("MNIST round trip (JPEG q75, \(Self.count) digits): mean abs diff \(result.mean), p95 \(result.p95), worst \(result.worst)")
        #expect(result.mean < 0.045)
        #expect(result.p95 < 0.08)
    }
}
