import Imaging
import ScanKinds
@testable import TestSupport

/// A style MNIST lacks: a steep italic, x shifted by `shear` × the height
/// from the center (about 50° from upright), on a canvas wide enough to keep
/// the whole digit; scanned as `paper` scans plain MNIST digits.
enum SteepItalic {
    static let shear = 1.2

    /// MNIST digits (light on black) as a scanner sees them: dark ink on light
    /// paper, enlarged 4x, with a margin, without noise.
    static let paper = ScanRendering(factor: 4, margins: (16, 16, 16, 16), paper: 240, ink: 40, noise: 0, rounding: .towardZero)

    static func render(_ digit: GrayImage) -> GrayImage {
        let pad = 10, side = 28 + 2 * pad
        let center = Double(side) / 2 - 0.5
        var canvas = GrayImage(width: side, height: side, fill: 0)
        for y in 0..<28 { for x in 0..<28 { canvas[x + pad, y + pad] = digit[x, y] } }
        return paper.render(width: side, height: side) { u, v in canvas.bilinear(u + shear * (v - center), v) }
    }
}
