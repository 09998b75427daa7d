import Foundation

public struct RelabelRequest: Codable, Sendable {
    /// An inbox name (the CSV `file` column) or an absolute path under the root.
    public var image: String
    public var digit: Int
    public var by: String

    public init(image: String, digit: Int, by: String) {
        self.image = image
        self.digit = digit
        self.by = by
    }
}
