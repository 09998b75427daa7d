import Foundation

/// What the status page draws: scans by status and over time, how many wait for a person,
/// and what people said the corrected scans were against what digitd said.
public struct ReviewSummary: Codable, Sendable, Equatable {
    public struct Bucket: Codable, Sendable, Equatable {
        public var start: Date
        public var scans: Int
    }

    /// Rows by status (ok, review, blank, error).
    public var counts: [String: Int]
    /// Scans classified per `bucketSeconds`, oldest first, up to the newest row.
    public var throughput: [Bucket]
    public var bucketSeconds: Int
    /// Undecided `review` images (one per content).
    public var waiting: Int
    /// [said][labelled]: corrections by what digitd said (rows, 0-9) and what people said
    /// (columns 0-9, and 10 for "not a digit").
    public var corrections: [[Int]]
    public var decided: Int
}
