import Foundation

/// One result row (DESIGN §6); the fixed columns first, then digitd's extras.
struct ResultRow: Sendable, Equatable {
    enum Status: String, Sendable, CaseIterable { case ok, review, blank, error }

    var file: String
    var sha256: String
    var status: Status
    var digit: Int?
    var confidence: Float?
    var model: String
    var processedAt: Date
    var secondDigit: Int?
    var secondConfidence: Float?
    var reason: String
    /// Where the original went: "done/NAME" or "failed/NAME".
    var storedAs: String
    /// The claim that produced this row (see ScanLifecycle), for crash recovery.
    var claim: String

    static let header = ["file", "sha256", "status", "digit", "confidence", "model", "processed_at",
                                "second_digit", "second_confidence", "reason", "stored_as", "claim"]

    /// The row as written, `file` through FormulaGuard unless `formulaGuard`
    /// is off. Only `file` needs it: the other fields are digitd's own text,
    /// and `stored_as` starts with `done/` or `failed/`.
    func fields(formulaGuard: Bool) -> [String] {
        func probability(_ p: Float?) -> String { p.map { String(format: "%.4f", $0) } ?? "" }
        return [formulaGuard ? FormulaGuard.encode(file) : file, sha256, status.rawValue, digit.map(String.init) ?? "",
                probability(confidence), model, Self.timestamp(processedAt), secondDigit.map(String.init) ?? "",
                probability(secondConfidence), reason, storedAs, claim]
    }

    /// The row as digitd writes it by default (the guard on).
    var fields: [String] { fields(formulaGuard: true) }

    /// A row read back. `file` is decoded whatever the guard is now set to:
    /// a file holds rows written under either setting.
    init?(fields: [String]) {
        guard fields.count >= Self.header.count, let status = Status(rawValue: fields[2]) else { return nil }
        file = FormulaGuard.decode(fields[0])
        sha256 = fields[1]
        self.status = status
        digit = Int(fields[3])
        confidence = Float(fields[4])
        model = fields[5]
        processedAt = Self.parseTimestamp(fields[6]) ?? Date(timeIntervalSince1970: 0)
        secondDigit = Int(fields[7])
        secondConfidence = Float(fields[8])
        reason = fields[9]
        storedAs = fields[10]
        claim = fields[11]
    }

    init(file: String, sha256: String, status: Status, digit: Int?, confidence: Float?, model: String,
                processedAt: Date, secondDigit: Int?, secondConfidence: Float?, reason: String, storedAs: String, claim: String) {
        self.file = file
        self.sha256 = sha256
        self.status = status
        self.digit = digit
        self.confidence = confidence
        self.model = model
        self.processedAt = processedAt
        self.secondDigit = secondDigit
        self.secondConfidence = secondConfidence
        self.reason = reason
        self.storedAs = storedAs
        self.claim = claim
    }

    /// ISO 8601 UTC with milliseconds: 2026-11-23T19:20:12.123Z
    static func timestamp(_ date: Date) -> String {
        let f = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return date.formatted(f)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }
}
