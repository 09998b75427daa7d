import Imaging
import NeuralNetwork
import TestSupport
import Testing

struct NormalizeTests {
    let normalizer = ScanNormalizer()

    @Test(arguments: [(20.0, 20.0), (150.0, 40.0), (30.0, 230.0), (180.0, 200.0)])
    func inkIsCenteredByMassWherever(it origin: (Double, Double)) throws {
        let scan = try normalizer.normalize(Sketch.seven(width: 300, height: 300, at: origin, size: 60).image)
        let m = Moments(scan)
        #expect(abs(m.x - 14) <= 0.5 && abs(m.y - 14) <= 0.5, "center of mass (\(m.x), \(m.y)) box \(m.minX) \(m.minY) \(m.boxWidth)x\(m.boxHeight)")
        #expect(m.boxHeight >= 19 && m.boxHeight <= 21, "the longer side fills the 20 px box")
        let box = try! #require(scan.inkBox)
        #expect(abs(box.x - Int(origin.0)) <= 4 && abs(box.y - Int(origin.1)) <= 4, "ink box \(box)")
    }

    @Test func aspectRatioIsKept() throws {
        var tall = Sketch(width: 200, height: 200, paper: 250)
        tall.rectangle(x: 50, y: 30, width: 20, height: 80, ink: 10)  // 1:4
        var wide = Sketch(width: 200, height: 200, paper: 250)
        wide.rectangle(x: 30, y: 90, width: 120, height: 40, ink: 10)  // 3:1
        let t = Moments(try normalizer.normalize(tall.image))
        let w = Moments(try normalizer.normalize(wide.image))
        #expect(t.boxHeight == 20 && t.boxWidth == 5, "tall bar became \(t.boxWidth)x\(t.boxHeight)")
        #expect(w.boxWidth == 20 && (6...7).contains(w.boxHeight), "wide bar became \(w.boxWidth)x\(w.boxHeight)")
    }

    @Test func bothPolaritiesGiveTheSameDigit() throws {
        let dark = Sketch.seven(width: 120, height: 120, at: (30, 20), size: 80, paper: 240, ink: 25)
        let light = Sketch.seven(width: 120, height: 120, at: (30, 20), size: 80, paper: 10, ink: 230)
        let a = try normalizer.normalize(dark.image), b = try normalizer.normalize(light.image)
        #expect(a.polarity == .darkOnLight)
        #expect(b.polarity == .lightOnDark)
        let difference = zip(a.pixels, b.pixels).map { abs($0 - $1) }.reduce(0, +) / 784
        #expect(difference < 0.01)
    }

    @Test func tintedNoisyPaperIsRemoved() throws {
        let clean = Sketch.seven(width: 160, height: 160, at: (40, 30), size: 100, paper: 255, ink: 0)
        var tinted = Sketch.seven(width: 160, height: 160, at: (40, 30), size: 100, paper: 190, ink: 60)
        tinted.addNoise(6, seed: 7)
        let a = try normalizer.normalize(clean.image), b = try normalizer.normalize(tinted.image)
        let background = zip(a.pixels, b.pixels).filter { $0.0 == 0 }.map(\.1)
        #expect(background.max()! < 0.1, "paper left as ink: \(background.max()!)")
        let difference = zip(a.pixels, b.pixels).map { abs($0 - $1) }.reduce(0, +) / 784
        #expect(difference < 0.03)
    }

    @Test func specksDoNotMoveTheBox() throws {
        var dusty = Sketch.seven(width: 200, height: 200, at: (60, 50), size: 90)
        dusty.rectangle(x: 5, y: 5, width: 3, height: 3, ink: 0)
        dusty.rectangle(x: 190, y: 185, width: 2, height: 2, ink: 0)
        let clean = Sketch.seven(width: 200, height: 200, at: (60, 50), size: 90)
        let a = try normalizer.normalize(dusty.image), b = try normalizer.normalize(clean.image)
        #expect(a.inkBox == b.inkBox)
        #expect(a.pixels == b.pixels)
    }

    @Test func inkTouchingTheBorderKeepsItsPolarity() throws {
        // A tight crop: a bold "1" filling most of a small image, touching top and bottom.
        var crop = Sketch(width: 28, height: 28, paper: 235)
        crop.rectangle(x: 8, y: 0, width: 12, height: 28, ink: 30)
        let scan = try normalizer.normalize(crop.image)
        #expect(scan.polarity == .darkOnLight)
        #expect(Moments(scan).boxHeight == 20)
    }

    @Test(arguments: [
        ("white", Sketch(width: 100, height: 100, paper: 255).image),
        ("black", Sketch(width: 100, height: 100, paper: 0).image),
        ("gray", Sketch(width: 50, height: 80, paper: 128).image),
    ])
    func uniformPagesAreBlank(_ name: String, _ page: GrayImage) throws {
        let scan = try normalizer.normalize(page)
        #expect(scan.isBlank, "\(name) page")
        #expect(scan.pixels.allSatisfy { $0 == 0 })
    }

    @Test func noisyEmptyPaperAndSpecksAreBlank() throws {
        var noisy = Sketch(width: 300, height: 200, paper: 220)
        noisy.addNoise(8, seed: 3)
        #expect(try normalizer.normalize(noisy.image).isBlank)
        var speck = Sketch(width: 300, height: 300, paper: 250)
        speck.rectangle(x: 100, y: 120, width: 3, height: 3, ink: 0)
        #expect(try normalizer.normalize(speck.image).isBlank)
    }

    @Test func faintPencilIsStillInk() throws {
        let pencil = Sketch.seven(width: 120, height: 120, at: (25, 15), size: 85, paper: 235, ink: 150, pen: 8)
        let scan = try normalizer.normalize(pencil.image)
        #expect(!scan.isBlank)
        #expect(scan.pixels.max()! > 0.9, "a light stroke still reaches full ink")
    }

    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func mnistDigitsPassThroughNearlyUnchanged() throws {
        let digits = try MNIST.load("t10k", limit: 200)
        let mean = try (0..<digits.count).map(digits.image).map { meanAbsoluteDifference(try normalizer.normalize($0), $0) }.reduce(0, +) / 200
        print("MNIST digits normalized as-is: mean abs diff \(mean)")
        #expect(mean < 0.01)
    }
}
