/// An error digitd and digitctl report as one line, as it reads: what failed and why, with
/// the file or key involved. Errors from the operating system are `SystemError` (they keep
/// their errno); this is for everything else.
public struct DigitdError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
