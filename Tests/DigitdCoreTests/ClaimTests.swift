import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

/// Claims in processing/: their names, their ids, recovery after a restart, and moves that never overwrite.
@Suite struct ClaimTests {
    /// Names a scanner or a person may produce.
    static let names: [ScanName] = [
        ScanName("a.png"), ScanName("with space.png"), ScanName("comma,name.png"), ScanName("quote\"name\".png"),
        ScanName("new\nline.png"), ScanName("crlf\r\nname.jpg"), ScanName("tab\there.png"), ScanName("ünïcødé-७.png"),
        ScanName(bytes: [0x66, 0xE9, 0xFF, 0xFE, 0x2E, 0x70, 0x6E, 0x67]),    // Latin-1 / invalid UTF-8
        ScanName("-0123456789abcdef-trick.png"), ScanName("0123456789abcdef-looks-like-a-claim.png"),
        ScanName(String(repeating: "m", count: 234) + ".png"),                // 238 bytes: fits beside the id
        ScanName(String(repeating: "n", count: 235) + ".png"),                // 239 bytes: does not
        ScanName(String(repeating: "l", count: 251) + ".png"),                // NAME_MAX
        ScanName(bytes: Array(repeating: 0xE9, count: 251) + Array(".jpg".utf8)),
    ]

    @Test func processingNameRoundTrip() {
        for name in Self.names {
            let claim = Claim(id: "0123456789abcdef", original: name)
            #expect(claim.processingName.bytes.count <= 255)
            #expect(!claim.processingName.isIgnored)
            if name.bytes.count <= 255 - Claim.idLength - 1 {
                #expect(Claim(processingName: claim.processingName) == claim, "\(name)")
            }
        }
    }

    /// Recovery reads a written row's stored_as back to the raw name it meant.
    @Test func storedNameFromARow() {
        let latin1 = ScanName(bytes: [0x6C, 0xE9, 0x2E, 0x70, 0x6E, 0x67])
        let claim = Claim(id: "0123456789abcdef", original: latin1)
        #expect(ScanPipeline.storedName("done/\(latin1)", of: claim) == latin1)
        #expect(ScanPipeline.storedName("failed/\(latin1.numbered(12))", of: claim) == latin1.numbered(12))
        #expect(ScanPipeline.storedName("done/other.png", of: claim) == nil)
        #expect(ScanPipeline.storedName("", of: claim) == nil)
        let tricky = Claim(id: "0123456789abcdef", original: ScanName("a~3~b.png"))
        #expect(ScanPipeline.storedName("done/a~3~b~2.png", of: tricky) == ScanName("a~3~b~2.png"))
        #expect(ScanPipeline.storedName("done/a~3~b.png", of: tricky) == ScanName("a~3~b.png"))
        let long = Claim(id: "0123456789abcdef", original: ScanName(bytes: Array(repeating: 0xE9, count: 251) + Array(".png".utf8)))
        #expect(ScanPipeline.storedName("done/\(long.original.numbered(7))", of: long) == long.original.numbered(7))
    }

    @Test func foreignNamesAreNotClaims() {
        for name in ["short", "0123456789abcdef", "0123456789abcdef-", "0123456789abcdeg-x.png", "0123456789abcdef_x.png",
                     "0123456789abcdef.name", ".0123456789abcdef-x"] {
            #expect(Claim(processingName: ScanName(name)) == nil, "\(name)")
        }
    }

    @Test func idsIncreaseAndDiffer() throws {
        let root = TempFolder.unique("ids")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lifecycle = ScanLifecycle(layout: RuntimeLayout(root: root))
        var last = ""
        for _ in 0..<20_000 {
            let id = lifecycle.nextID()
            #expect(id.count == Claim.idLength && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(id > last)
            last = id
        }
    }

    /// Every name claimed into processing/ comes back from `leftovers()` (what
    /// a restart after kill -9 sees) with its exact inbox name, long ones included.
    @Test func claimsSurviveARestart() throws {
        let root = try TempRoot("claims")
        let layout = root.layout
        let lifecycle = ScanLifecycle(layout: layout)
        var claims: [Claim] = []
        for name in Self.names {
            try RawFile.write(Array("x".utf8), folder: layout.inbox, name: name)
            claims.append(try #require(try lifecycle.claim(name)))
        }
        #expect(try lifecycle.claim(ScanName("gone.png")) == nil)
        // A name record whose claim never happened (killed between the two), and
        // a retry record whose claim was finished (killed before removing it).
        try RawFile.write(Array("orphan".utf8), folder: layout.processing, name: ScanName("00000000000000ff.name"))
        try RawFile.write([], folder: layout.processing, name: ScanName("00000000000000ff.retry"))
        // Every other claim's retry had begun when digitd died again.
        for claim in claims.enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) { try lifecycle.markRetry(claim) }

        let restarted = ScanLifecycle(layout: layout)
        let leftovers = try restarted.leftovers()
        let recovered = leftovers.map(\.claim)
        #expect(recovered.map(\.id) == claims.map(\.id))
        #expect(leftovers.map(\.deaths) == claims.indices.map { $0 % 2 == 1 ? 2 : 1 })
        #expect(FileOps.status(layout.processing, ScanName("00000000000000ff.name")) == nil, "orphan name record kept")
        #expect(FileOps.status(layout.processing, ScanName("00000000000000ff.retry")) == nil, "orphan retry record kept")
        for (claim, again) in zip(claims, recovered) {
            #expect(again.original == claim.original, "\(claim.original.bytes.count)-byte name \(claim.original)")
        }
        // Finished, each lands under its inbox name and processing/ is left empty.
        for claim in recovered {
            let stored = try restarted.finish(claim, .done, planned: restarted.plannedName(claim, .done), retried: true)
            #expect(stored == claim.original)
            #expect(FileOps.status(layout.done, claim.original) != nil)
        }
        var left: [ScanName] = []
        try FileOps.list(layout.processing) { left.append($0); return true }
        #expect(left.isEmpty, "left in processing/: \(left)")
    }

    /// Collisions in done/ and failed/ never overwrite, reason files included, whichever
    /// way moves are done (link then unlink on network shares).
    @Test(arguments: [NoReplaceRename.Way.renameNoReplace, .linkThenUnlink])
    func finishNeverOverwrites(_ way: NoReplaceRename.Way) throws {
        let root = try TempRoot("finish")
        let layout = root.layout
        let lifecycle = ScanLifecycle(layout: layout, moves: NoReplaceRename(way))
        let name = ScanName("same.png")
        for (n, expected) in ["same.png", "same~2.png", "same~3.png"].enumerated() {
            try RawFile.write([UInt8(n)], folder: layout.inbox, name: name)
            let claim = try #require(try lifecycle.claim(name))
            let stored = try lifecycle.finish(claim, .failed, planned: lifecycle.plannedName(claim, .failed), reason: "bad \(n)")
            #expect(stored == ScanName(expected))
            #expect(try RawFile.read(folder: layout.failed, name: stored) == [UInt8(n)])
            let reason = try RawFile.read(folder: layout.failed, name: ScanName(expected + ".reason"))
            #expect(String(decoding: reason, as: UTF8.self) == "bad \(n)\n")
        }
        // A planned name taken meanwhile: the move picks the next free one.
        try RawFile.write([9], folder: layout.inbox, name: name)
        let claim = try #require(try lifecycle.claim(name))
        let planned = lifecycle.plannedName(claim, .done)
        try RawFile.write([7], folder: layout.done, name: planned)
        let stored = try lifecycle.finish(claim, .done, planned: planned)
        #expect(stored != planned)
        #expect(try RawFile.read(folder: layout.done, name: planned) == [7])
        #expect(try RawFile.read(folder: layout.done, name: stored) == [9])
    }

    /// A move cut short between its link and its unlink (one file under both names) is
    /// finished by the next try at the same name, whichever way: not copied to NAME~2.
    @Test(arguments: [NoReplaceRename.Way.renameNoReplace, .linkThenUnlink])
    func aMoveCutShortIsFinishedNotCopied(_ way: NoReplaceRename.Way) throws {
        let root = try TempRoot("cutshort")
        let layout = root.layout
        let lifecycle = ScanLifecycle(layout: layout, moves: NoReplaceRename(way))
        for (outcome, folder) in [(ScanLifecycle.Outcome.done, layout.done), (.failed, layout.failed)] {
            let name = ScanName("cut-\(outcome).png")
            try RawFile.write([1, 2, 3], folder: layout.inbox, name: name)
            let claim = try #require(try lifecycle.claim(name))
            let planned = lifecycle.plannedName(claim, outcome)
            if outcome == .failed { try RawFile.write(Array("bad\n".utf8), folder: folder, name: ScanLifecycle.reasonName(planned)) }
            try RawFile.link(claim.processingName, from: layout.processing, to: folder, as: planned)
            #expect(try lifecycle.finish(claim, outcome, planned: planned, reason: "bad") == planned)
            #expect(FileOps.status(layout.processing, claim.processingName) == nil)
            #expect(FileOps.status(folder, planned)?.st_nlink == 1)
        }
        #expect(try RawFile.names(in: layout.done) == [ScanName("cut-done.png")])
        #expect(Set(try RawFile.names(in: layout.failed)) == [ScanName("cut-failed.png"), ScanName("cut-failed.png.reason")])
        #expect(try RawFile.read(folder: layout.failed, name: ScanName("cut-failed.png.reason")) == Array("bad\n".utf8))
    }

    /// A move that meets EINVAL on a filesystem without RENAME_NOREPLACE (one the start-up
    /// probe did not see: bindfs, passing through) switches to link then unlink at once
    /// and is done that way.
    @Test(.enabled(if: PassthroughFilesystem.available, PassthroughFilesystem.unavailable))
    func theFirstEINVALSwitchesToLinkThenUnlink() throws {
        let folder = TempFolder.unique("einval")
        defer { TempFolder.remove(folder) }
        try FileManager.default.createDirectory(atPath: folder + "/share", withIntermediateDirectories: true)
        let share = try PassthroughFilesystem(over: folder + "/share", backing: folder + "/backing")
        let (from, to) = (share.mountPoint + "/inbox", share.mountPoint + "/processing")
        for path in [from, to] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        try RawFile.write([4, 2], folder: from, name: ScanName("x.png"))
        let moves = NoReplaceRename()
        #expect(moves.move(from: from, ScanName("x.png"), to: to, ScanName("y.png")) == 0)
        #expect(moves.way == .linkThenUnlink)
        #expect(FileOps.status(from, ScanName("x.png")) == nil)
        #expect(try RawFile.read(folder: to, name: ScanName("y.png")) == [4, 2])
        withExtendedLifetime(share) {}
    }
}
