import Imaging
import TestSupport
import Testing

/// Small pen marks in a 28x28 scan took digitd down (issue 11): upscaled five
/// times, a 4 px dot and its fringe came out wider than the canvas, and the
/// placement wrote outside it.
@Suite struct SmallMarkTests {
    let normalizer = ScanNormalizer()

    /// `mark` as a PNG, through the decoder and the normalizer.
    func normalizedPNG(_ mark: PenMark) throws -> NormalizedScan {
        let decoded = try ImageDecoder().decode(try Fixtures.png(mark.image)).image
        #expect(decoded == mark.image)
        let scan = try normalizer.normalize(decoded)
        NormalizedScanInvariants.expectHeld(by: scan, from: decoded, normalizer: normalizer, "\(mark)")
        return scan
    }

    /// The first report: a 4x4 dark square with a light fringe.
    @Test func fourPixelSquareWithLightFringe() throws {
        let mark = PenMark(width: 28, height: 28, shape: .box(x: 12, y: 12, width: 4, height: 4), fringe: 0.25)
        let scan = try normalizedPNG(mark)
        #expect(scan.inkBox == InkBox(x: 12, y: 12, width: 4, height: 4))
        let square = Moments(scan)  // pixels at half ink and more: the square without its fringe
        #expect(square.boxWidth == 20 && square.boxHeight == 20, "\(square.boxWidth)x\(square.boxHeight)")
        #expect(abs(square.x - 14) <= 0.5 && abs(square.y - 14) <= 0.5)
    }

    /// The second: an anti-aliased dot 4.5 px across, centered on a pixel corner,
    /// so its half-ink box is 4 px too.
    @Test func antiAliasedDot() throws {
        let mark = PenMark(width: 28, height: 28, shape: .stroke(a: (14, 14), b: (14, 14), pen: 4.5), antiAliased: true)
        let scan = try normalizedPNG(mark)
        #expect(scan.inkBox == InkBox(x: 12, y: 12, width: 4, height: 4))
        let dot = Moments(scan)
        #expect(dot.boxWidth >= 18 && dot.boxHeight >= 18, "\(dot.boxWidth)x\(dot.boxHeight)")
        #expect(abs(dot.x - 14) <= 0.5 && abs(dot.y - 14) <= 0.5)
    }

    /// The class of both: every box from 1x1 to 28x28 in a 28x28 scan, hard or
    /// with a light fringe, either polarity.
    @Test(arguments: [Polarity.darkOnLight, .lightOnDark], [nil, 0.3])
    func everyBoxSizeIn28x28(polarity: Polarity, fringe: Double?) throws {
        for width in 1...28 {
            for height in 1...28 {
                let mark = PenMark(width: 28, height: 28,
                                   shape: .box(x: (28 - width) / 2, y: (28 - height) / 2, width: width, height: height),
                                   fringe: fringe, polarity: polarity)
                let image = mark.image
                NormalizedScanInvariants.expectHeld(by: try normalizer.normalize(image), from: image,
                                                    normalizer: normalizer, "\(mark)")
            }
        }
    }

    /// Settings that cannot make a 28x28 image fail the scan with a reason.
    @Test func impossibleSettingsAreErrors() {
        let page = PenMark(width: 40, height: 40, shape: .box(x: 10, y: 10, width: 20, height: 20)).image
        #expect(throws: NormalizationError.invalidSettings("fitSide 29 is outside 1...28")) {
            try ScanNormalizer(fitSide: 29).normalize(page)
        }
        #expect(throws: NormalizationError.invalidSettings("fitSide 0 is outside 1...28")) {
            try ScanNormalizer(fitSide: 0).normalize(page)
        }
        #expect(throws: NormalizationError.invalidSettings("minInkExtent nan is outside 0...1")) {
            try ScanNormalizer(minInkExtent: .nan).normalize(page)
        }
        #expect(NormalizationError.invalidSettings("fitSide 0 is outside 1...28").description
                == "cannot normalize: fitSide 0 is outside 1...28")
    }

    /// The whole canvas for the ink: no room for a fringe, and still inside.
    @Test func fitSideOfTheWholeCanvas() throws {
        let whole = ScanNormalizer(fitSide: 28)
        for side in [4, 7, 28, 49, 97] {
            let mark = PenMark(width: side + 6, height: side + 6, shape: .box(x: 3, y: 3, width: side, height: side),
                               fringe: 0.3)
            let image = mark.image
            let scan = try whole.normalize(image)
            NormalizedScanInvariants.expectHeld(by: scan, from: image, normalizer: whole, "\(mark)")
            #expect(Moments(scan).boxWidth == 28, "\(mark)")
        }
    }
}
