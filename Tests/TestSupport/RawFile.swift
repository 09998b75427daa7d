import Foundation
@testable import DigitdCore

/// Files by raw name (Linux names are bytes: they need not be UTF-8), for the
/// tests to put inputs in place and read what the daemon left. Internal, as
/// ScanName is: the daemon tests `@testable import TestSupport`.
enum RawFile {
    /// Writes (creates or replaces) folder/name.
    static func write(_ bytes: [UInt8], folder: String, name: ScanName) throws {
        let fd = FileOps.path(folder, name).withUnsafeBufferPointer {
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

    static func read(folder: String, name: ScanName) throws -> [UInt8] {
        let fd = FileOps.path(folder, name).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
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

    /// rename(2) folder/name to another folder, under `newName` if given (replacing what
    /// is there, as rename does).
    static func rename(_ name: ScanName, from source: String, to target: String, as newName: ScanName? = nil) throws {
        let from = FileOps.path(source, name), to = FileOps.path(target, newName ?? name)
        let result = from.withUnsafeBufferPointer { s in to.withUnsafeBufferPointer { Glibc.rename(s.baseAddress!, $0.baseAddress!) } }
        guard result == 0 else { throw SystemError(errno: errno, "rename \(name) into \(target)") }
    }

    /// link(2) folder/name into another folder as `newName`: one file under both names,
    /// as a kill between the link and the unlink of a move on a network share leaves it.
    static func link(_ name: ScanName, from source: String, to target: String, as newName: ScanName) throws {
        let from = FileOps.path(source, name), to = FileOps.path(target, newName)
        let result = from.withUnsafeBufferPointer { s in to.withUnsafeBufferPointer { Glibc.link(s.baseAddress!, $0.baseAddress!) } }
        guard result == 0 else { throw SystemError(errno: errno, "link \(name) into \(target) as \(newName)") }
    }

    /// The names in a folder, raw.
    static func names(in folder: String) throws -> [ScanName] {
        var names: [ScanName] = []
        try FileOps.list(folder) { names.append($0); return true }
        return names
    }
}
