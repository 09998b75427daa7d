import NeuralNetwork

/// Corrections as a fine-tune feeds them to the network, for training or held out: digits
/// with their labels, and marks people said are not digits.
struct CorrectionImages: Sendable {
    var digits: LabeledImages
    /// 784 bytes a mark, 255 = ink.
    var marks: [UInt8]

    init(_ corrections: [Correction]) {
        let digits = corrections.filter { $0.digit != nil }
        self.digits = LabeledImages(pixels: digits.flatMap(\.pixels), labels: digits.map { UInt8($0.digit!) })
        marks = corrections.filter { $0.digit == nil }.flatMap(\.pixels)
    }

    var markCount: Int { marks.count / SeedCNN.pixels }
    var count: Int { digits.count + markCount }
}
