import Foundation

/// File operations on (folder, raw name) pairs.
enum FileOps {
    static func path(_ folder: String, _ name: ScanName) -> ContiguousArray<CChar> {
        ContiguousArray((Array(folder.utf8) + [UInt8(ascii: "/")] + name.bytes + [0]).map { CChar(bitPattern: $0) })
    }

    static func pathString(_ folder: String, _ name: ScanName) -> String {
        folder + "/" + name.description
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

    /// Whether two lstat results are one file (one inode under two names, or the same name).
    static func isSameFile(_ a: stat, _ b: stat) -> Bool {
        a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// unlink of folder/name; false (errno set) when it fails.
    @discardableResult
    static func remove(_ folder: String, _ name: ScanName) -> Bool {
        path(folder, name).withUnsafeBufferPointer { unlink($0.baseAddress!) } == 0
    }

    /// fsync of a folder, so renames and creations in it survive a power cut. EINVAL is a
    /// filesystem that cannot sync a folder (some network and FUSE ones): nothing to wait for.
    static func syncFolder(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else { throw SystemError(errno: errno, "fsync \(folder)") }
    }
}
