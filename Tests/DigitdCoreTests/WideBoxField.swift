import Imaging
@testable import ScanKinds

/// A kind the shipped model is weak on: a digit written to fill a wide form field, its ink's
/// box stretched to 24x12 (twice as wide as high), enlarged 4x, dark ink on paper. digitd's
/// normalizer keeps the aspect, so the network sees it squat; it gets about a quarter of them
/// wrong. (Coarse 8x8 1-bit fields, which it gets 6% wrong, are not learnable from the few
/// dozen corrections an operator makes: too little of the digit is left.)
enum WideBoxField {
    static let paper = ScanRendering(factor: 4, margins: (12, 12, 12, 12), paper: 235, ink: 35, noise: 0)

    static func render(_ digit: GrayImage) -> GrayImage {
        let (width, height) = (24, 12)
        let filled = digit.inkBox().map { digit.resampled($0, toWidth: width, height: height) } ?? digit.resampled(toWidth: width, height: height)
        return paper.render(width: width, height: height) { filled.bilinear($0, $1) }
    }
}
