import Imaging
import NeuralNetwork

/// A kind of scan digitd meets besides MNIST's own, made from an MNIST digit (28x28, 255 =
/// ink): old scanners' low resolutions, 1-bit thresholding, digits stretched to fill their box,
/// other pens, blur. Each renders the digit as a scanner would deliver it: dark ink on light
/// paper, a few times larger, with margins and noise. The robustness suite is one folder of
/// these per kind (`digitctl suite`, `digitctl eval --scans`).
public enum ScanKind: String, CaseIterable, Sendable {
    /// The digit as it is, enlarged 4x: the baseline.
    case clean
    /// Scanned at 16x16 gray (the whole 28x28 frame), enlarged 4x.
    case gray16
    /// The ink's box stretched to fill 16x16 gray, aspect not kept.
    case gray16Filled = "gray16-filled"
    /// The ink's box fitted to 32x32 (aspect kept), 1-bit, enlarged 4x without smoothing.
    case bits32
    /// The ink's box stretched to fill 16x16, 1-bit, enlarged 4x without smoothing.
    case bits16Stretched = "bits16-stretched"
    /// Scanned at 10x10 gray, enlarged 6x.
    case gray10
    /// A pen twice as broad.
    case thickPen = "thick-pen"
    /// A pen half as broad.
    case thinPen = "thin-pen"
    /// Out of focus.
    case blurred

    /// The scan of `digit`, its noise drawn from `rng`.
    public func render(_ digit: GrayImage, rng: inout SeededRandom) -> GrayImage {
        var random = rng
        defer { rng = random }
        let gaussian = { Double(random.normal()) }
        switch self {
        case .clean:
            return Self.scan(factor: 4).render(width: 28, height: 28, noise: gaussian) { digit.bilinear($0, $1) }
        case .gray16:
            let small = digit.resampled(toWidth: 16, height: 16)
            return Self.scan(factor: 4).render(width: 16, height: 16, noise: gaussian) { small.bilinear($0, $1) }
        case .gray16Filled:
            let small = Self.filled(digit, side: 16)
            return Self.scan(factor: 4).render(width: 16, height: 16, noise: gaussian) { small.bilinear($0, $1) }
        case .bits32:
            let small = digit.fitted(digit.inkBox() ?? (0, 0, 28, 28), side: 32).thresholded()
            return Self.scan(factor: 4).render(width: 32, height: 32, noise: gaussian) { small.nearest($0, $1) }
        case .bits16Stretched:
            let small = Self.filled(digit, side: 16).thresholded()
            return Self.scan(factor: 4).render(width: 16, height: 16, noise: gaussian) { small.nearest($0, $1) }
        case .gray10:
            let small = digit.resampled(toWidth: 10, height: 10)
            return Self.scan(factor: 6).render(width: 10, height: 10, noise: gaussian) { small.bilinear($0, $1) }
        case .thickPen, .thinPen, .blurred:
            // At the scan's own resolution, where a pen's width is several pixels.
            let large = digit.enlarged(4)
            let changed = switch self {
            case .thickPen: large.morphed(radius: 4, thicker: true)
            case .thinPen: large.morphed(radius: 2, thicker: false)
            default: large.blurred(sigma: 4)
            }
            return Self.scan(factor: 1).render(width: changed.width, height: changed.height, noise: gaussian) { changed.bilinear($0, $1) }
        }
    }

    /// Paper at 235, ink at 35, 12-pixel margins, scanner noise of 3 levels.
    private static func scan(factor: Double) -> ScanRendering {
        ScanRendering(factor: factor, margins: (12, 12, 12, 12), paper: 235, ink: 35, noise: 3)
    }

    /// The ink's box stretched to fill `side` x `side`.
    private static func filled(_ digit: GrayImage, side: Int) -> GrayImage {
        guard let box = digit.inkBox() else { return digit.resampled(toWidth: side, height: side) }
        return digit.resampled(box, toWidth: side, height: side)
    }
}
