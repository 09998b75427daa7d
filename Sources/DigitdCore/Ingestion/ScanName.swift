import Foundation

/// A file name exactly as the filesystem has it. Linux names are bytes, not
/// text: a scan named in Latin-1 must still be renamed by its real name, and
/// only shown (CSV, logs) as UTF-8 with replacement characters.
struct ScanName: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }

    var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Dotfiles, editors' and downloaders' temporary names: never taken.
    var isIgnored: Bool {
        guard let first = bytes.first else { return true }
        if first == UInt8(ascii: ".") || bytes.last == UInt8(ascii: "~") { return true }
        let lower = description.lowercased()
        return lower.hasSuffix(".tmp") || lower.hasSuffix(".part")
    }

    /// The name with `~N` before its extension, cut to fit `limit` bytes (NAME_MAX).
    func numbered(_ n: Int, limit: Int = 255) -> ScanName {
        fitted(suffix: Array("~\(n)".utf8), limit: limit)
    }

    /// The name cut to `limit` bytes, its extension kept.
    func cut(to limit: Int) -> ScanName {
        bytes.count <= limit ? self : fitted(suffix: [], limit: limit)
    }

    /// stem + suffix + extension in `limit` bytes, the stem cut as needed.
    private func fitted(suffix: [UInt8], limit: Int) -> ScanName {
        var dot = bytes.lastIndex(of: UInt8(ascii: ".")).flatMap { $0 > 0 ? $0 : nil } ?? bytes.count
        // An "extension" too long to leave a byte of stem beside the suffix is
        // cut like the rest of the name (else the result passes the limit).
        if bytes.count - dot + suffix.count >= limit { dot = bytes.count }
        let ext = Array(bytes[dot...])
        let stem = Array(bytes[..<dot].prefix(limit - suffix.count - ext.count))
        return ScanName(bytes: stem + suffix + ext)
    }
}

