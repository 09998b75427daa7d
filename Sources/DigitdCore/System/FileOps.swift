import CDaemonSupport
import Foundation

/// File operations on (folder, raw name) pairs.
enum FileOps {
    static func path(_ folder: String, _ name: ScanName) -> ContiguousArray<CChar> {
        ContiguousArray((Array(folder.utf8) + [UInt8(ascii: "/")] + name.bytes + [0]).map { CChar(bitPattern: $0) })
    }

    static func pathString(_ folder: String, _ name: ScanName) -> String {
        folder + "/" + name.description
    }

    /// Atomic rename that never replaces: false with EEXIST when `to` exists.
    static func renameNoReplace(from: String, _ a: ScanName, to: String, _ b: ScanName) -> Int32 {
        let source = path(from, a), target = path(to, b)
        return source.withUnsafeBufferPointer { s in
            target.withUnsafeBufferPointer { t in
                dgt_rename_noreplace(s.baseAddress, t.baseAddress) == 0 ? 0 : errno
            }
        }
    }

    /// Moves `name` from one folder to another under the first free name
    /// (name, name~2, name~3, ...); returns the name used.
    static func moveWithoutOverwrite(_ name: ScanName, from: String, to: String, preferred: ScanName) throws -> ScanName {
        var candidate = preferred
        for n in 2...100_000 {
            let error = renameNoReplace(from: from, name, to: to, candidate)
            if error == 0 { return candidate }
            guard error == EEXIST else { throw SystemError(errno: error, "rename \(name) into \(to)") }
            candidate = preferred.numbered(n)
        }
        throw SystemError(errno: EEXIST, "no free name for \(preferred) in \(to)")
    }

    /// The names in a folder (raw bytes), "." and ".." excluded.
    static func list(_ folder: String, _ body: (ScanName) -> Bool) throws {
        guard let directory = opendir(folder) else { throw SystemError(errno: errno, "open \(folder)") }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [46] || name == [46, 46] { continue }
            if !body(ScanName(bytes: name)) { return }
        }
    }

    /// lstat of folder/name, nil when it does not exist.
    static func status(_ folder: String, _ name: ScanName) -> stat? {
        var info = stat()
        let target = path(folder, name)
        return target.withUnsafeBufferPointer { lstat($0.baseAddress!, &info) } == 0 ? info : nil
    }

    static func remove(_ folder: String, _ name: ScanName) {
        _ = path(folder, name).withUnsafeBufferPointer { unlink($0.baseAddress!) }
    }

    /// fsync of a folder, so renames and creations in it survive a crash.
    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
