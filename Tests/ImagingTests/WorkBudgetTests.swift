import Imaging
import NeuralNetwork
import TestSupport
import Testing

/// A scan's decode and normalization stop at its CPU time budget with an error
/// that says so. Heavy legal inputs under a budget far too small for them make
/// it happen every time; the same inputs under the default budget succeed.
@Suite struct WorkBudgetTests {
    /// 2000x2000 of noise: megabytes of image data in either format.
    static let noise: GrayImage = {
        var rng = SeededRandom(seed: 11)
        return GrayImage(width: 2000, height: 2000, pixels: (0..<4_000_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }()
    static let png = try! Fixtures.png(noise)
    static let jpeg = try! Fixtures.jpeg(noise, quality: 90, progressive: true)

    static let tiny = 1e-6
    /// At full size: the heaviest decode of these files.
    static let decoder = ImageDecoder(minDecodedSide: 0)

    @Test func pngDecodeStopsAtItsBudget() throws {
        #expect(throws: ImageDecodeError.overBudget(.png, seconds: Self.tiny)) {
            try Self.decoder.decode(Self.png, budget: WorkBudget(seconds: Self.tiny))
        }
        #expect(try Self.decoder.decode(Self.png).image == Self.noise)
    }

    @Test func jpegDecodeStopsAtItsBudget() throws {
        #expect(throws: ImageDecodeError.overBudget(.jpeg, seconds: Self.tiny)) {
            try Self.decoder.decode(Self.jpeg, budget: WorkBudget(seconds: Self.tiny))
        }
        #expect(try Self.decoder.decode(Self.jpeg).image.width == 2000)
    }

    /// Without a budget of its own, a decode gets `limits.workBudgetSeconds`.
    @Test func limitsGiveTheBudget() {
        var limits = DecodeLimits()
        limits.workBudgetSeconds = Self.tiny
        #expect(throws: ImageDecodeError.overBudget(.png, seconds: Self.tiny)) {
            try ImageDecoder(limits: limits).decode(Self.png)
        }
    }

    @Test func normalizationStopsAtItsBudget() throws {
        let page = Sketch.seven(width: 2000, height: 2000, at: (600, 500), size: 900, pen: 40).image
        #expect(throws: NormalizationError.overBudget(seconds: Self.tiny)) {
            try ScanNormalizer().normalize(page, budget: WorkBudget(seconds: Self.tiny))
        }
        #expect(try !ScanNormalizer().normalize(page).isBlank)
    }

    @Test func errorsSayTheBudgetRanOut() {
        #expect(ImageDecodeError.overBudget(.png, seconds: 1).description
                == "decoding the PNG took over the decode work budget (1.0 s of CPU)")
        #expect(NormalizationError.overBudget(seconds: 1).description
                == "normalizing took over the decode work budget (1.0 s of CPU)")
    }
}
