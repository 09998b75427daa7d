import Foundation
import NeuralNetwork

/// Label images that killed digitd while a fine-tune decoded them. Before each
/// image of labels/ is decoded, models/label-decoding names it; the pass
/// removes the marker when it ends. A marker found at start-up names the image
/// that was being decoded when digitd died: it is quarantined
/// (models/quarantined-labels.json) and skipped by every later fine-tune,
/// reported, never retried blindly. A file changed since (another size or
/// mtime) is a new file and is tried again.
final class LabelQuarantine: @unchecked Sendable {
    struct Entry: Codable, Sendable, Equatable {
        /// "labels/D/NAME".
        var label: String
        var size: Int64
        var modified: Int64
        var since: Date?

        var description: String { Self.skipped(label) }

        static func skipped(_ label: String) -> String {
            "\(label): skipped, digitd stopped while decoding it (quarantined; replace or remove the file to use it again)"
        }
    }

    let markerPath: String
    let listPath: String
    private var entries: [Entry] = []
    private var marker: Int32 = -1
    private let lock = NSLock()

    /// Loads the quarantine and adds the image a death left in the marker;
    /// `report` hears of every newly quarantined image and of a damaged list.
    init(models: String, report: (String) -> Void) {
        markerPath = models + "/label-decoding"
        listPath = models + "/quarantined-labels.json"
        if let data = FileManager.default.contents(atPath: listPath) {
            do { entries = try JSONCoding.decoder().decode([Entry].self, from: data) } catch {
                report("\(listPath) is unreadable (\(error)); moved to \(DamagedFile.setAside(listPath)), quarantine starts empty")
            }
        }
        guard let data = FileManager.default.contents(atPath: markerPath) else { return }
        if var entry = try? JSONCoding.decoder().decode(Entry.self, from: data) {
            entry.since = Date()
            if !entries.contains(where: { $0.label == entry.label && $0.size == entry.size && $0.modified == entry.modified }) {
                entries.append(entry)
            }
            report(entry.description)
            save(report: report)
        }
        unlink(markerPath)
    }

    /// Images quarantined so far.
    var list: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    func isQuarantined(_ label: String, _ info: stat) -> Bool {
        list.contains { $0.label == label && $0.size == Int64(info.st_size) && $0.modified == Int64(info.st_mtim.tv_sec) }
    }

    /// Names `label` in the marker, just before it is decoded. No fsync: the
    /// page cache outlives the process deaths this is for.
    func willDecode(_ label: String, _ info: stat) {
        lock.lock()
        defer { lock.unlock() }
        if marker < 0 { marker = open(markerPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640) }
        guard marker >= 0, let data = try? JSONCoding.encoder().encode(Entry(label: label, size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec))) else { return }
        _ = data.withUnsafeBytes { pwrite(marker, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(marker, off_t(data.count))
    }

    /// The pass over labels/ is over: no image is being decoded any more.
    func passEnded() {
        lock.lock()
        defer { lock.unlock() }
        guard marker >= 0 else { return }
        close(marker)
        marker = -1
        unlink(markerPath)
    }

    private func save(report: (String) -> Void) {
        do { try AtomicFile.write(Array(try JSONCoding.encoder().encode(entries)), to: listPath, mode: 0o640) } catch {
            report("cannot write \(listPath): \(error)")
        }
    }
}
