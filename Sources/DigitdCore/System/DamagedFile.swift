import Foundation

/// A state file digitd cannot trust (replay.bin, finetune.json, registry.json):
/// renamed to NAME.damaged-YYYYmmddTHHMMSSZ beside itself, kept for inspection,
/// so it is neither used nor overwritten by the fresh state digitd starts with.
enum DamagedFile {
    /// The name it now has (the old one when even the rename failed).
    @discardableResult
    static func setAside(_ path: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let aside = "\(path).damaged-\(formatter.string(from: Date()))"
        return rename(path, aside) == 0 ? aside : path
    }
}
