import Foundation

/// Who asks is not part of the request: digitd takes it from the kernel
/// (ControlCaller).
public struct RelabelRequest: Codable, Sendable {
    /// An inbox name (the CSV `file` column) or an absolute path under the root.
    public var image: String
    public var digit: Int

    public init(image: String, digit: Int) {
        self.image = image
        self.digit = digit
    }
}
