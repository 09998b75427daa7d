import Foundation

public struct RelabelResult: Codable, Sendable, Equatable {
    public var record: CorrectionRecord
    /// The digit this image was labelled before, when it is relabeled.
    public var replacedDigit: Int?
    /// It was labelled "not a digit" before.
    public var replacedNotADigit: Bool?
}
