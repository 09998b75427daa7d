import Foundation

/// Who asks is not part of the request: digitd takes it from the kernel
/// (ControlCaller).
public struct RelabelRequest: Codable, Sendable {
    /// An inbox name (the CSV `file` column) or an absolute path under the root.
    public var image: String
    public var digit: Int
    /// The result row a review decision answers (its claim id); `image` is then only its name.
    public var claim: String?

    public init(image: String, digit: Int, claim: String? = nil) {
        self.image = image
        self.digit = digit
        self.claim = claim
    }
}
