@testable import DigitdCore
import Foundation

/// Files by raw name (Linux names are bytes: they need not be UTF-8), read and
/// written with plain system calls, independently of the daemon's own FileOps.
public enum RawFile {
    /// folder/name as a C string.
    public static func path(_ folder: String, _ name: ScanName) -> ContiguousArray<CChar> {
        ContiguousArray((Array(folder.utf8) + [UInt8(ascii: "/")] + name.bytes + [0]).map { CChar(bitPattern: $0) })
    }

    /// Writes (creates or replaces) folder/name.
    public static func write(_ bytes: [UInt8], folder: String, name: ScanName) throws {
        let fd = path(folder, name).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw SystemError(errno: errno, "create \(folder)/\(name)") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            guard n > 0 else { throw SystemError(errno: errno, "write \(folder)/\(name)") }
            written += n
        }
    }

    public static func read(folder: String, name: ScanName) throws -> [UInt8] {
        let fd = path(folder, name).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(folder)/\(name)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard n >= 0 else { throw SystemError(errno: errno, "read \(folder)/\(name)") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// rename(2) folder/name to another folder (replacing what is there, as rename does).
    public static func rename(_ name: ScanName, from source: String, to target: String) throws {
        let from = path(source, name), to = path(target, name)
        let result = from.withUnsafeBufferPointer { s in to.withUnsafeBufferPointer { Glibc.rename(s.baseAddress!, $0.baseAddress!) } }
        guard result == 0 else { throw SystemError(errno: errno, "rename \(name) into \(target)") }
    }

    /// The names in a folder, raw, "." and ".." left out.
    public static func names(in folder: String) throws -> [ScanName] {
        guard let directory = opendir(folder) else { throw SystemError(errno: errno, "open \(folder)") }
        defer { closedir(directory) }
        var names: [ScanName] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name != [46] && name != [46, 46] { names.append(ScanName(bytes: name)) }
        }
        return names
    }
}
