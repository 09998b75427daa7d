import Foundation

/// One scan in the review queue (GET /v1/review/queue): its result row's figures.
/// Its pictures are asked for by `claim`, never by a name or path.
public struct ReviewItem: Codable, Sendable, Equatable {
    public var claim: String
    public var file: String
    public var sha256: String
    /// `review` or `ok`.
    public var status: String
    public var digit: Int
    public var confidence: Float
    public var secondDigit: Int?
    public var secondConfidence: Float?
    /// Why it is in review ("low confidence 0.61", "does not look like a digit"); empty for ok.
    public var reason: String
    public var model: String
    public var processedAt: Date

    /// How far the best guess is ahead of the second: the smaller, the more a label teaches.
    public var margin: Float { confidence - (secondConfidence ?? 0) }

    init?(_ row: ResultRow) {
        guard let digit = row.digit, let confidence = row.confidence else { return nil }
        (claim, file, sha256, status, self.digit, self.confidence) = (row.claim, row.file, row.sha256, row.status.rawValue, digit, confidence)
        (secondDigit, secondConfidence, reason, model, processedAt) = (row.secondDigit, row.secondConfidence, row.reason, row.model, row.processedAt)
    }
}
