import Foundation
import Imaging
import PropertyBased
import Testing

/// The normalizer over generated marks: boxes (single pixels, 1xN, Nx1 and up)
/// and strokes (dots and lines), hard, fringed or anti-aliased, of every size on
/// images from 1x1 to 320x320, either polarity. Whatever the mark, the scan is
/// normalized without a trap or an error and keeps NormalizedScanInvariants.
@Suite struct NormalizerPropertyTests {
    static let normalizer = ScanNormalizer()

    /// Edge and levels of a mark, drawn into it.
    struct Style: Sendable {
        var antiAliased: Bool
        var fringe: Double?
        var polarity: Polarity
        var light: Double, dark: Double
    }

    static let style = zip(Gen.int(in: 0...2), Gen.double(in: 0.05...0.45), Gen.bool,
                           Gen.int(in: 190...255), Gen.int(in: 0...60))
        .map { edge, fringe, dark, light, darkLevel in
            Style(antiAliased: edge == 2, fringe: edge == 1 ? fringe : nil,
                  polarity: dark ? .darkOnLight : .lightOnDark, light: Double(light), dark: Double(darkLevel))
        }

    static let unit = Gen.double(in: 0...1)
    /// 1 to 320 px, log-uniform: small images, where marks are upscaled, as often as large ones.
    static let side = unit.map { Int(pow(320, $0).rounded()) }

    /// From half a pixel to `limit`, log-uniform: tiny marks as often as large ones.
    static func length(_ u: Double, upTo limit: Int) -> Double {
        0.5 * pow(max(Double(limit), 0.5) / 0.5, u)
    }

    static func styled(_ width: Int, _ height: Int, _ shape: PenMark.Shape, _ style: Style) -> PenMark {
        PenMark(width: width, height: height, shape: shape, antiAliased: style.antiAliased, fringe: style.fringe,
                polarity: style.polarity, light: style.light, dark: style.dark)
    }

    /// Boxes anywhere inside the image.
    static let boxes = zip(side, side, unit, unit, unit, unit, style)
        .map { width, height, uw, uh, fx, fy, style in
            let w = min(max(Int(length(uw, upTo: width)), 1), width)
            let h = min(max(Int(length(uh, upTo: height)), 1), height)
            let box = PenMark.Shape.box(x: Int(fx * Double(width - w)), y: Int(fy * Double(height - h)), width: w, height: h)
            return styled(width, height, box, style)
        }

    /// Dots (length 0) and lines, horizontal, vertical or at any angle, any pen,
    /// starting anywhere on the image or a little off it.
    static let strokes = zip(side, side, unit, unit, unit, zip(Gen.int(in: 0...3), unit), unit, style)
        .map { width, height, fx, fy, ulength, direction, upen, style in
            let a = ((fx * 1.2 - 0.1) * Double(width), (fy * 1.2 - 0.1) * Double(height))
            let (kind, turn) = direction
            let length = kind == 0 ? 0 : Self.length(ulength, upTo: max(width, height))
            let angle = [0, 0, Double.pi / 2, 2 * Double.pi * turn][kind]
            let b = (a.0 + length * cos(angle), a.1 + length * sin(angle))
            let pen = Self.length(upen, upTo: max(1, min(width, height) / 2))
            return styled(width, height, .stroke(a: a, b: b, pen: pen), style)
        }

    /// The invariants, and for a mark whose ink is all on the image: the right
    /// polarity, the mark found when it is solid and not smaller than the
    /// smallest digit, and its center of mass on (14, 14).
    /// Errors are recorded, not thrown: propertyCheck does not count a thrown error as a failure.
    static func check(_ mark: PenMark) {
        let image = mark.image
        let scan: NormalizedScan
        do {
            scan = try normalizer.normalize(image)
        } catch {
            Issue.record("\(error): \(mark)")
            return
        }
        NormalizedScanInvariants.expectHeld(by: scan, from: image, normalizer: normalizer, "\(mark)")
        guard mark.clearOfBorder, Set(image.pixels).count > 1 else { return }
        #expect(scan.polarity == mark.polarity, "\(mark)")
        let smallest = max(4, Int((normalizer.minInkExtent * Float(min(image.width, image.height))).rounded()))
        if mark.isSolid, let core = mark.coreBox, max(core.width, core.height) >= smallest {
            #expect(!scan.isBlank, "\(mark)")
        }
        if !scan.isBlank {
            let moments = Moments(scan, threshold: .leastNonzeroMagnitude)
            #expect(abs(moments.x - 14) <= 0.501 && abs(moments.y - 14) <= 0.501,
                    "center of mass (\(moments.x), \(moments.y)): \(mark)")
        }
    }

    @Test func boxesOfEverySize() async {
        await propertyCheck(count: 2000, input: Self.boxes) { Self.check($0) }
    }

    @Test func dotsAndLinesOfEverySize() async {
        await propertyCheck(count: 2000, input: Self.strokes) { Self.check($0) }
    }
}
