import Foundation

/// What `digitctl relabel` records beside the copy it stores in labels/D/.
public struct CorrectionRecord: Codable, Sendable, Equatable {
    public var sha256: String
    /// The name the file had in the inbox.
    public var file: String
    /// 0-9; nil when the image is not a digit (stored in labels/not-a-digit/).
    public var digit: Int?
    /// Where the copy is: "labels/7/NAME".
    public var storedAs: String
    public var previousStatus: String?
    public var previousDigit: Int?
    public var previousConfidence: Float?
    public var model: String?
    public var at: Date
    /// The user name of `byUID` ("uid N" when it has none).
    public var by: String
    /// The uid the kernel gave for the relabel's caller; nil in records written
    /// before digitd recorded it (their `by` was the client's $USER).
    public var byUID: UInt32?

    /// "7", or "not a digit".
    public var label: String { digit.map(String.init) ?? "not a digit" }
}
