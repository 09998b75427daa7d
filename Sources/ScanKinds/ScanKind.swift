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
            let small = Self.fitted(digit, side: 32).thresholded()
            return Self.scan(factor: 4).render(width: 32, height: 32, noise: gaussian) { small.nearest($0, $1) }
        case .bits16Stretched:
            let small = Self.filled(digit, side: 16).thresholded()
            return Self.scan(factor: 4).render(width: 16, height: 16, noise: gaussian) { small.nearest($0, $1) }
        case .gray10:
            let small = digit.resampled(toWidth: 10, height: 10)
            return Self.scan(factor: 6).render(width: 10, height: 10, noise: gaussian) { small.bilinear($0, $1) }
        case .thickPen, .thinPen, .blurred:
            // At the scan's own resolution, where a pen's width is several pixels.
            let large = Self.enlarged(digit, 4)
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

    private static func enlarged(_ digit: GrayImage, _ factor: Int) -> GrayImage {
        let side = digit.width * factor
        var out = GrayImage(width: side, height: digit.height * factor, fill: 0)
        for y in 0..<out.height {
            for x in 0..<side {
                let value = digit.bilinear((Double(x) + 0.5) / Double(factor) - 0.5, (Double(y) + 0.5) / Double(factor) - 0.5)
                out[x, y] = UInt8(min(255, value.rounded()))
            }
        }
        return out
    }

    /// The ink's box stretched to fill `side` x `side`.
    private static func filled(_ digit: GrayImage, side: Int) -> GrayImage {
        guard let box = digit.inkBox() else { return digit.resampled(toWidth: side, height: side) }
        return digit.resampled(box, toWidth: side, height: side)
    }

    /// The ink's box scaled so its longer side fills `side`, centered, aspect kept.
    private static func fitted(_ digit: GrayImage, side: Int) -> GrayImage {
        guard let box = digit.inkBox() else { return digit.resampled(toWidth: side, height: side) }
        let scale = Double(side) / Double(max(box.width, box.height))
        let width = max(1, Int((Double(box.width) * scale).rounded())), height = max(1, Int((Double(box.height) * scale).rounded()))
        let inner = digit.resampled(box, toWidth: width, height: height)
        var out = GrayImage(width: side, height: side, fill: 0)
        let (left, top) = ((side - width) / 2, (side - height) / 2)
        for y in 0..<height { for x in 0..<width { out[left + x, top + y] = inner[x, y] } }
        return out
    }
}
