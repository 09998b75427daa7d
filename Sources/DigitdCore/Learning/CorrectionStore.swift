import Crypto
import Foundation
import Imaging
import NeuralNetwork
import ScanKinds

/// labels/0..9/: copies stored by relabel (with records in labels/.records/)
/// and image files people put there by hand. Relabeling an image replaces its
/// earlier label; nothing outside the root is ever read or written through it.
struct CorrectionStore: Sendable {
    let layout: RuntimeLayout

    init(layout: RuntimeLayout) {
        self.layout = layout
    }

    var records: String { layout.labels + "/.records" }

    /// Finds the classified original and stores a copy under labels/DIGIT/.
    func relabel(_ request: RelabelRequest, by caller: ControlCaller, index: ResultsIndex, now: Date = Date()) throws -> RelabelResult {
        guard request.label.map({ (0...9).contains($0) }) ?? true else { throw DigitdError("digit must be 0-9, not \(request.digit)") }
        let (original, row) = try request.claim.map { try locate(claim: $0, index: index) } ?? locate(request.image, index: index)
        let bytes = try Self.readRegularFile(original.folder, original.name)
        let sha = SHA256.hash(data: bytes).hexString
        try FileManager.default.createDirectory(atPath: records, withIntermediateDirectories: true)
        let lock = try FolderLock(layout.labels)
        defer { lock.release() }
        let earlier = readRecord(sha)
        let labelFolder = Self.folderName(request.label)
        let folder = "\(layout.labels)/\(labelFolder)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Its own earlier copy is replaced; another image's copy never is.
        var stored = original.name
        var n = 1
        while FileOps.status(folder, stored) != nil, earlier?.storedAs != "labels/\(labelFolder)/\(stored.description)" {
            n += 1
            stored = original.name.numbered(n)
        }
        // The new copy and its record first, the old copy last: a crash in
        // between leaves two copies, and the record says which label counts.
        try AtomicFile.write(bytes, to: FileOps.pathString(folder, stored), mode: 0o640)
        let record = CorrectionRecord(
            sha256: sha, file: row?.file ?? original.name.description, digit: request.label,
            storedAs: "labels/\(labelFolder)/\(stored.description)", previousStatus: row?.status.rawValue,
            previousDigit: row?.digit, previousConfidence: row?.confidence, model: row?.model, at: now,
            by: caller.name, byUID: caller.uid)
        try writeRecord(record)
        if let earlier, earlier.storedAs != record.storedAs, let old = Self.labelPath(earlier.storedAs, labels: layout.labels) {
            unlink(old)
        }
        return RelabelResult(record: record, replacedDigit: earlier?.digit,
                             replacedNotADigit: earlier.map { $0.digit == nil ? true : nil } ?? nil)
    }

    /// The original a relabel names: an absolute path to a file in done/, or an
    /// inbox name looked up in the results CSVs (its newest classified row).
    func locate(_ image: String, index: ResultsIndex) throws -> ((folder: String, name: ScanName), ResultRow?) {
        try index.catchUp()
        if image.contains("/") {
            let file = try Self.insideFolder(image, layout.done)
            let bytes = try Self.readRegularFile(file.folder, file.name)
            let sha = SHA256.hash(data: bytes).hexString
            let row = try index.rows(sha256: sha).last { $0.status != .error }
            return (file, row)
        }
        let rows = try index.rows(file: image)
        guard !rows.isEmpty else { throw DigitdError("unknown image \(image): no result row has that name") }
        let classified = rows.filter { $0.status != .error }
        guard !classified.isEmpty else {
            throw DigitdError("\(image) could not be classified (\(rows.last!.reason)): nothing to relabel")
        }
        // One image classified twice (dropped again) is one image; two images
        // with one name are ambiguous.
        var newestBySha: [String: ResultRow] = [:]
        for row in classified { newestBySha[row.sha256] = row }
        let present = newestBySha.values.filter { Self.storedFile($0.storedAs, done: layout.done) != nil }
        guard let row = present.first else {
            throw DigitdError("\(image) vanished: \(classified.last!.storedAs) no longer exists")
        }
        guard present.count == 1 else {
            let places = present.map(\.storedAs).sorted().joined(separator: ", ")
            throw DigitdError("\(image) is ambiguous: \(present.count) different images had that name (\(places)); relabel one by its path")
        }
        return (Self.storedFile(row.storedAs, done: layout.done)!, row)
    }

    /// The original of one result row, named by its claim id (a review decision).
    func locate(claim: String, index: ResultsIndex) throws -> ((folder: String, name: ScanName), ResultRow) {
        guard let row = try index.row(claim: claim) else { throw DigitdError("unknown scan \(claim): no result row has that claim") }
        guard row.status != .error else { throw DigitdError("\(row.file) could not be classified (\(row.reason)): nothing to relabel") }
        guard let original = Self.storedFile(row.storedAs, done: layout.done) else {
            throw DigitdError("\(row.file) vanished: \(row.storedAs) no longer exists")
        }
        return (original, row)
    }

    /// Takes back the label of one image (a decision undone): its copy and record go.
    func unlabel(sha256: String) throws -> CorrectionRecord? {
        let lock = try FolderLock(layout.labels)
        defer { lock.release() }
        guard let record = readRecord(sha256) else { return nil }
        if let copy = Self.labelPath(record.storedAs, labels: layout.labels) { unlink(copy) }
        guard unlink(recordPath(sha256)) == 0 || errno == ENOENT else { throw SystemError(errno: errno, "remove \(recordPath(sha256))") }
        return record
    }

    /// The images that have a label record: decided, out of the review queue.
    func labelled() -> Set<String> {
        var found: Set<String> = []
        try? FileOps.list(records) { name in
            let text = name.description
            if text.hasSuffix(".json"), !text.hasPrefix(".") { found.insert(String(text.dropLast(5))) }
            return true
        }
        return found
    }

    /// "done/NAME" from a CSV row as (folder, name), when NAME is one plain
    /// file name that exists; never a path elsewhere.
    static func storedFile(_ storedAs: String, done: String) -> (folder: String, name: ScanName)? {
        guard storedAs.hasPrefix("done/") else { return nil }
        let name = String(storedAs.dropFirst(5))
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return nil }
        guard let info = FileOps.status(done, ScanName(name)), info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (done, ScanName(name))
    }

    /// A path given by a person, accepted only for a regular file (not a
    /// symlink) whose real location is directly in `folder`.
    static func insideFolder(_ path: String, _ folder: String) throws -> (folder: String, name: ScanName) {
        guard let realFolder = realPath(folder) else { throw DigitdError("\(folder) does not exist") }
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard let realParent = realPath(parent.isEmpty ? "." : parent), realParent == realFolder,
              name != "..", name != "." else {
            throw DigitdError("\(path) is not a file in \(folder): only classified originals can be relabeled")
        }
        guard let info = FileOps.status(realFolder, ScanName(name)) else { throw DigitdError("\(path) vanished: no such file") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw DigitdError("\(path) is not a regular file") }
        return (realFolder, ScanName(name))
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// folder/name's bytes, read as digitd reads its scans (a regular file, not
    /// a symlink, within the file-size limit).
    static func readRegularFile(_ folder: String, _ name: ScanName) throws -> [UInt8] {
        do { return try ImageDecoder().readFile(FileOps.path(folder, name)) } catch {
            throw DigitdError("\(folder)/\(name): \(error)")
        }
    }

    /// Every label a correction can have: 0-9, and nil for "not a digit".
    static let labels: [Int?] = (0...9).map(Optional.some) + [nil]

    /// The folder of a label under labels/: 0-9, or not-a-digit (as `digitctl eval --scans` reads them).
    static func folderName(_ digit: Int?) -> String { digit.map(String.init) ?? RobustnessSuite.notADigitFolder }

    /// labels/D/NAME (D a digit or not-a-digit) as a path, when it is exactly that shape.
    static func labelPath(_ storedAs: String, labels: String) -> String? {
        let parts = storedAs.split(separator: "/", omittingEmptySubsequences: false)
        let folders = Self.labels.map(folderName)
        guard parts.count == 3, parts[0] == "labels", folders.contains(String(parts[1])),
              !parts[2].isEmpty, parts[2] != ".", parts[2] != ".." else { return nil }
        return "\(labels)/\(parts[1])/\(parts[2])"
    }

    func recordPath(_ sha: String) -> String { "\(records)/\(sha).json" }

    /// The relabel record of an image; nil when there is none or it is damaged.
    func readRecord(_ sha: String) -> CorrectionRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath(sha)) else { return nil }
        return try? JSONCoding.decoder().decode(CorrectionRecord.self, from: data)
    }

    private func writeRecord(_ record: CorrectionRecord) throws {
        try AtomicFile.write(Array(try JSONCoding.encoder(pretty: true).encode(record)), to: recordPath(record.sha256), mode: 0o640)
    }

    /// Every correction in labels/0..9/, decoded and normalized, one per image
    /// (by content): a relabel record says which label counts, else the newest
    /// file. Files that cannot be used are listed, never fatal; so are damaged
    /// records and the images `quarantine` holds (each image is named in its
    /// marker while it is decoded).
    func corrections(decoder: ImageDecoder, normalizer: ScanNormalizer = ScanNormalizer(),
                            quarantine: LabelQuarantine? = nil) -> (corrections: [Correction], problems: [String]) {
        defer { quarantine?.passEnded() }
        var found: [String: (correction: Correction, modified: Int)] = [:]
        var problems: [String] = []
        for digit in Self.labels {
            let folder = "\(layout.labels)/\(Self.folderName(digit))"
            var names: [ScanName] = []
            try? FileOps.list(folder) { name in
                if !name.isIgnored { names.append(name) }
                return true
            }
            for name in names.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                guard let info = FileOps.status(folder, name), info.st_mode & S_IFMT == S_IFREG else { continue }
                let label = "labels/\(Self.folderName(digit))/\(name)"
                if let quarantine {
                    if quarantine.isQuarantined(label, info) {
                        problems.append(LabelQuarantine.Entry.skipped(label))
                        continue
                    }
                    quarantine.willDecode(label, info)
                }
                let scan = PreparedScan(path: FileOps.path(folder, name), decoder: decoder, normalizer: normalizer)
                if let failure = scan.failure {
                    problems.append("\(label): \(failure)")
                    continue
                }
                guard let normalized = scan.normalized, !normalized.isBlank else {
                    problems.append("\(label): blank (no ink)")
                    continue
                }
                let correction = Correction(sha256: scan.sha256, digit: digit,
                                            pixels: normalized.bytes, name: label)
                let modified = info.st_mtim.tv_sec
                if let record = readRecord(scan.sha256) {
                    if record.digit == digit { found[scan.sha256] = (correction, .max) }
                    continue
                }
                if FileManager.default.fileExists(atPath: recordPath(scan.sha256)) {
                    problems.append("labels/.records/\(scan.sha256).json is damaged: \(label) counts like a copy made by hand")
                }
                if let earlier = found[scan.sha256], earlier.modified >= modified { continue }
                found[scan.sha256] = (correction, modified)
            }
        }
        return (found.values.map(\.correction).sorted { $0.sha256 < $1.sha256 }, problems)
    }
}
