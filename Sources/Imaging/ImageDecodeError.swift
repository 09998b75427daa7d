import Foundation

/// Why a file could not be turned into an image. `description` is the one-line
/// reason written beside a failed file and into its result row.
public enum ImageDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    /// The system is short of what the read needs (descriptors, memory): not the file's
    /// fault, so the daemon tries again later instead of failing the file.
    case unavailable(errno: Int32)
    case empty
    case fileTooLarge(bytes: Int, limit: Int)
    case notAnImage(prefix: [UInt8])
    case truncated(ImageFormat)
    case corrupt(ImageFormat, String)
    case zeroSize(ImageFormat)
    case tooLarge(width: Int, height: Int, limits: DecodeLimits)
    /// The decode took the whole of its CPU time budget (seconds).
    case overBudget(ImageFormat, seconds: Double)

    public var description: String {
        switch self {
        case .unreadable(let reason):
            return "cannot read file: \(reason)"
        case .unavailable(let errno):
            return "cannot read file now: \(String(cString: strerror(errno)))"
        case .empty:
            return "empty file (0 bytes)"
        case .fileTooLarge(let bytes, let limit):
            return "file is \(bytes) bytes, over the \(limit)-byte limit"
        case .notAnImage(let prefix):
            let hex = prefix.map { String($0, radix: 16, uppercase: false).leftPadded(to: 2) }.joined(separator: " ")
            let text = String(decoding: prefix.map { (0x20..<0x7f).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
            return "not a PNG or JPEG: starts with \(hex) (\(text))"
        case .truncated(let format):
            return "truncated \(format) (premature end of data)"
        case .corrupt(let format, let detail):
            return "corrupt \(format): \(detail)"
        case .zeroSize(let format):
            return "\(format) has zero width or height"
        case .tooLarge(let width, let height, let limits):
            if width > limits.maxWidth || height > limits.maxHeight {
                return "image is \(width)x\(height), over the \(limits.maxWidth)x\(limits.maxHeight) limit"
            }
            return "image is \(width)x\(height), over the \(limits.maxPixels / 1_000_000)-megapixel limit"
        case .overBudget(let format, let seconds):
            return "decoding the \(format) took over the decode work budget (\(seconds) s of CPU)"
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
