import Foundation
import NeuralNetwork

/// models/: numbered versions, their records in registry.json, and which one is
/// current (none: the base model, i.e. model.path or the shipped one). Writers
/// (daemon, offline digitctl) take models/.lock; every change is one atomic
/// rewrite of registry.json, so a crash leaves the old state or the new.
public struct ModelRegistry: Sendable {
    public let folder: String
    /// Model files kept besides the current one; older ones are deleted (records stay).
    public var keep: Int

    public init(folder: String, keep: Int = 5) {
        self.folder = folder
        self.keep = keep
    }

    public struct Contents: Codable, Sendable, Equatable {
        public var current: String?
        public var versions: [ModelVersion] = []
        public var nextNumber = 1

        /// What no registry digitd wrote can hold (a version name that is not
        /// vN, so not a file in models/; a count that would overflow), or nil.
        var absurdity: String? {
            func isVersion(_ name: String) -> Bool {
                name.count <= 12 && name.first == "v" && name.dropFirst().allSatisfy(\.isASCII) && Int(name.dropFirst()).map { $0 >= 1 } == true
            }
            if let current, !isVersion(current) { return "current version \"\(current)\" is not vN" }
            if let bad = versions.first(where: { !isVersion($0.version) }) { return "version \"\(bad.version)\" is not vN" }
            if !(1...1_000_000_000).contains(nextNumber) { return "nextNumber \(nextNumber) is out of range" }
            return nil
        }
    }

    var indexPath: String { folder + "/registry.json" }

    public func path(of version: String) -> String { "\(folder)/\(version).\(ModelFile.fileExtension)" }

    /// The current version's model file, nil for the base model.
    public func currentPath() throws -> String? {
        try read().current.map(path(of:))
    }

    /// registry.json when it cannot be read: moved aside for inspection (digitd
    /// then serves the base model); a one-line description, nil when sound.
    public func setAsideIfDamaged() -> String? {
        do {
            _ = try read()
            return nil
        } catch {
            let aside = DamagedFile.setAside(indexPath)
            return "\(error); moved to \(aside), serving the base model"
        }
    }

    public func read() throws -> Contents {
        guard let data = FileManager.default.contents(atPath: indexPath) else { return Contents() }
        let contents: Contents
        do { contents = try JSONCoding.decoder().decode(Contents.self, from: data) } catch {
            throw DigitdError("\(indexPath) is unreadable: \(error)")
        }
        if let absurd = contents.absurdity { throw DigitdError("\(indexPath) is damaged: \(absurd)") }
        return contents
    }

    private func write(_ contents: Contents) throws {
        try AtomicFile.write(Array(try JSONCoding.encoder(pretty: true).encode(contents)), to: indexPath, mode: 0o640)
    }

    private func locked<T>(_ body: (inout Contents) throws -> T) throws -> T {
        let lock = try FolderLock(folder)
        defer { lock.release() }
        var contents = try read()
        let result = try body(&contents)
        try write(contents)
        return result
    }

    /// Saves a candidate as the next version, promoted (made current) or rejected.
    /// `record.version` is assigned here.
    @discardableResult
    public func add(_ model: Model, _ record: ModelVersion) throws -> ModelVersion {
        try locked { contents in
            var record = record
            // A file already there (its record lost with a damaged registry.json) is never overwritten.
            while access(path(of: "v\(contents.nextNumber)"), F_OK) == 0 { contents.nextNumber += 1 }
            record.version = "v\(contents.nextNumber)"
            contents.nextNumber += 1
            try ModelFile.save(model, to: path(of: record.version))
            contents.versions.append(record)
            if record.state == .promoted { contents.current = record.version }
            prune(&contents)
            return record
        }
    }

    /// Makes `version` current ("base" for the base model); nil: the promoted
    /// version before the current one. `load` reads and checks the target's file first (the
    /// daemon's load is the one it then serves, so the file is decoded once).
    @discardableResult
    public func rollback(to version: String?, load: (String) throws -> Void = { _ = try ModelFile.load($0) }) throws -> String? {
        try locked { contents in
            let target: String?
            if let version {
                if version == "base" {
                    target = nil
                } else {
                    guard let entry = contents.versions.first(where: { $0.version == version }) else {
                        throw DigitdError("no model version \(version) (see `digitctl models`)")
                    }
                    guard entry.state == .promoted else { throw DigitdError("\(version) was rejected by the validation gate: \(entry.reason ?? "")") }
                    guard entry.fileKept else { throw DigitdError("\(version)'s file was pruned (only the last \(keep) are kept)") }
                    target = version
                }
            } else {
                let promoted = contents.versions.filter { $0.state == .promoted && $0.fileKept }.map(\.version)
                guard let current = contents.current else { throw DigitdError("already serving the base model: nothing to roll back") }
                let earlier = promoted.prefix { $0 != current }
                target = earlier.last
            }
            // The target must load before it becomes current: a registry that
            // names a missing or damaged file would leave digitd without a model.
            if let target {
                do { try load(path(of: target)) } catch {
                    throw DigitdError("\(target) cannot be served: \(error)")
                }
            }
            contents.current = target
            return target
        }
    }

    /// Deletes model files beyond the last `keep` (never the current one).
    private func prune(_ contents: inout Contents) {
        let kept = contents.versions.indices.filter { contents.versions[$0].fileKept }
        for index in kept.dropLast(keep) where contents.versions[index].version != contents.current {
            unlink(path(of: contents.versions[index].version))
            contents.versions[index].fileKept = false
        }
    }
}

