import Foundation

/// A file taken from the inbox: it now lives in processing/ as `<id>-<name>`,
/// so two scans with the same name never meet and a restart knows both the
/// claim and the inbox name.
struct Claim: Sendable, Hashable {
    let id: String
    let original: ScanName

    static let idLength = 16

    var processingName: ScanName {
        // NAME_MAX is 255 bytes: a name already that long loses its tail here
        // (kept whole in a name record beside it, see ScanLifecycle.claim).
        ScanName(bytes: Array((Array(id.utf8) + [UInt8(ascii: "-")] + original.bytes).prefix(255)))
    }

    /// False when the inbox name is too long to fit beside the id.
    var processingNameIsWhole: Bool { Self.idLength + 1 + original.bytes.count <= 255 }

    /// processing/<id>.name: the whole inbox name of a claim whose
    /// processing name had to be cut (never parsed as a claim: no "-").
    var nameRecord: ScanName { ScanName(id + ".name") }

    /// processing/<id>.retry: this claim was in flight when digitd died and its
    /// retry has begun (see ScanLifecycle.markRetry).
    var retryRecord: ScanName { ScanName(id + ".retry") }

    init(id: String, original: ScanName) {
        self.id = id
        self.original = original
    }

    /// Parses a processing/ name; nil for anything digitd did not put there.
    init?(processingName: ScanName) {
        let bytes = processingName.bytes
        guard bytes.count > Self.idLength + 1, bytes[Self.idLength] == UInt8(ascii: "-") else { return nil }
        let id = String(decoding: bytes[..<Self.idLength], as: UTF8.self)
        guard id.allSatisfy(\.isHexDigit) else { return nil }
        self.init(id: id, original: ScanName(bytes: Array(bytes[(Self.idLength + 1)...])))
    }
}
