import Foundation

/// Who asks is not part of the request: digitd takes it from the kernel
/// (ControlCaller).
public struct RelabelRequest: Codable, Sendable {
    /// An inbox name (the CSV `file` column) or an absolute path under the root.
    public var image: String
    public var digit: Int
    /// The result row a review decision answers (its claim id); `image` is then only its name.
    public var claim: String?
    /// The image is not a digit at all (`digit` is then ignored): kept in labels/not-a-digit/.
    public var notADigit: Bool?

    public init(image: String, digit: Int, claim: String? = nil) {
        self.image = image
        self.digit = digit
        self.claim = claim
    }

    /// `label` nil: not a digit.
    public init(image: String, label: Int?, claim: String? = nil) {
        self.init(image: image, digit: label ?? 0, claim: claim)
        notADigit = label == nil ? true : nil
    }

    /// 0-9, or nil for "not a digit".
    var label: Int? { notADigit == true ? nil : digit }
}
