import Foundation
import Imaging
import NeuralNetwork

/// A random way a scanner and a form can spoil a digit, drawn from ranges wider than the
/// suite's named kinds (ScanKind): any resolution from 8 to 32 pixels, the frame or the ink's
/// box kept or stretched to fill, 1-bit at any threshold, enlarged smoothly or not, other pens,
/// blur, paper, ink and noise. Training sees digits through these, and calibration is fitted
/// on them, so that neither depends on the few kinds the suite names.
public struct ScanDegradation: Sendable {
    enum Crop: CaseIterable { case frame, fitted, filled }

    var side: Int?
    var crop: Crop
    var threshold: UInt8?
    var smoothEnlarging: Bool
    var pen: Int
    var blur: Double
    var scanSide: Double
    var paper: Double, ink: Double, noise: Double

    /// One drawn at random: a quarter of them only a clean scan of another size.
    public static func random(rng: inout SeededRandom) -> ScanDegradation {
        let lowResolution = rng.unit() >= 0.25
        let threshold: UInt8? = lowResolution && rng.unit() < 0.5 ? UInt8(rng.uniform(70, 180)) : nil
        let paper = Double(rng.uniform(180, 255))
        return ScanDegradation(
            side: lowResolution ? Int(rng.uniform(8, 33)) : nil,
            crop: Crop.allCases[Int(rng.next() % 3)],
            threshold: threshold,
            smoothEnlarging: threshold == nil ? rng.unit() < 0.8 : rng.unit() < 0.3,
            pen: rng.unit() < 0.2 ? Int(rng.next() % 5) - 2 : 0,
            blur: rng.unit() < 0.15 ? Double(rng.uniform(0.3, 1.2)) : 0,
            scanSide: Double(rng.uniform(40, 140)),
            paper: paper, ink: Double(rng.uniform(0, Float(paper) - 110)), noise: Double(rng.uniform(0, 8)))
    }

    /// The scan of `digit` (MNIST convention, any size), its noise drawn from `rng`.
    public func render(_ digit: GrayImage, rng: inout SeededRandom) -> GrayImage {
        var image = digit
        // Pen and blur at three times the digit's scale, where a pixel is a fraction of a stroke.
        if pen != 0 || blur > 0 {
            image = image.enlarged(3)
            if pen != 0 { image = image.morphed(radius: abs(pen), thicker: pen > 0) }
            if blur > 0 { image = image.blurred(sigma: 3 * blur) }
        }
        if let side {
            let box = image.inkBox() ?? (0, 0, image.width, image.height)
            image = switch crop {
            case .frame: image.resampled(toWidth: side, height: max(1, side * image.height / max(image.width, 1)))
            case .filled: image.resampled(box, toWidth: side, height: side)
            case .fitted: image.fitted(box, side: side)
            }
        }
        if let threshold { image = image.thresholded(at: threshold) }
        var random = rng
        defer { rng = random }
        let factor = scanSide / Double(max(image.width, image.height))
        let margin = Int(rng.uniform(4, 16))
        let rendering = ScanRendering(factor: factor, margins: (margin, margin, margin, margin), paper: paper, ink: ink, noise: noise)
        let source = image
        return rendering.render(width: image.width, height: image.height, noise: { Double(random.normal()) }) {
            smoothEnlarging ? source.bilinear($0, $1) : source.nearest($0, $1)
        }
    }
}
