import CZlib
import Foundation
import Imaging
import NeuralNetwork
import Testing
import TestSupport

/// A corpus of bad inputs: each yields the expected `ImageDecodeError`, with a
/// one-line description, and none crashes the process.
@Suite struct BadInputTests {
    // MARK: Corpus sources

    /// Small valid files with several chunks / markers each, so truncation and
    /// damage land in every kind of structure.
    static let pngs: [(name: String, bytes: [UInt8])] = {
        let palette = try! PNGDecodeTests.make(
            .init(color: .palette, bitDepth: 4, transparency: true, interlaced: true), width: 20, height: 14, seed: 3)
        let gray16 = try! PNGDecodeTests.make(.init(color: .gray, bitDepth: 16), width: 12, height: 9, seed: 4)
        let rgba = try! PNGDecodeTests.make(.init(color: .rgba, bitDepth: 8), width: 16, height: 10, seed: 8)
        return [("palette+tRNS interlaced", palette.png), ("gray 16-bit", gray16.png), ("RGBA", rgba.png)]
    }()

    static let jpegs: [(name: String, bytes: [UInt8])] = {
        let planes = JPEGDecodeTests.rgbPlanes(width: 32, height: 24)
        let rgb = JPEGDecodeTests.interleave(planes)
        let baseline = try! Fixtures.jpeg(width: 32, height: 24, components: 3, pixels: rgb, quality: 80,
                                          restartInterval: 2, exif: Fixtures.exif(orientation: 6))
        let progressive = try! Fixtures.jpeg(width: 32, height: 24, components: 3, pixels: rgb, quality: 80,
                                             progressive: true)
        let gray = try! Fixtures.jpeg(JPEGDecodeTests.smooth(width: 24, height: 24), quality: 80)
        let (ink, _) = JPEGDecodeTests.cmykCase(width: 16, height: 16)
        let cmyk = try! Fixtures.jpeg(width: 16, height: 16, components: 4, pixels: ink, colorSpace: .ycck,
                                      quality: 80, adobeMarker: true, invertCMYK: true)
        let arithmetic = try! Fixtures.jpeg(width: 32, height: 24, components: 3, pixels: rgb, quality: 80,
                                            arithmetic: true)
        return [("baseline+EXIF+RST", baseline), ("progressive", progressive), ("gray", gray),
                ("YCCK", cmyk), ("arithmetic", arithmetic)]
    }()

    static let decoder = ImageDecoder()

    /// Where the path tests put their files.
    static let dir = TempFolder.unique("bad-input")

    /// The error `bytes` produce, or nil when they decode; checks what every
    /// error must be and what every success must look like.
    static func outcome(_ bytes: [UInt8], decoder: ImageDecoder = decoder,
                        sourceLocation: SourceLocation = #_sourceLocation) -> ImageDecodeError? {
        do {
            let decoded = try decoder.decode(bytes)
            #expect(decoded.image.width > 0 && decoded.image.height > 0, sourceLocation: sourceLocation)
            #expect(decoded.image.pixels.count == decoded.image.width * decoded.image.height,
                    sourceLocation: sourceLocation)
            return nil
        } catch {
            expectOneLine(error, sourceLocation: sourceLocation)
            return error
        }
    }

    static func expectOneLine(_ error: ImageDecodeError, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = error.description
        #expect(!text.isEmpty, sourceLocation: sourceLocation)
        let multiLine = text.contains { $0.isNewline }
        #expect(!multiLine, "\(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(!text.hasSuffix(": "), "\(text.debugDescription)", sourceLocation: sourceLocation)
    }

    /// Corrupt, or a size refused from a damaged header: what damaged data
    /// of a known format may produce (never empty/unreadable/notAnImage).
    static func isDamage(_ error: ImageDecodeError?, _ format: ImageFormat) -> Bool {
        switch error {
        case .corrupt(let f, _), .truncated(let f), .zeroSize(let f): return f == format
        case .tooLarge: return true
        default: return false
        }
    }

    // MARK: Truncation

    /// Cut at every offset: 0 bytes is `.empty`; anything else, even one byte
    /// of the signature, is `.truncated` of the sniffed format.
    @Test func pngTruncatedAtEveryOffset() {
        for (name, png) in Self.pngs {
            #expect(Self.outcome([]) == .empty)
            var wrong: [Int] = []
            for cut in 1..<png.count where Self.outcome(Array(png[..<cut])) != .truncated(.png) { wrong.append(cut) }
            #expect(wrong.isEmpty, "\(name) (\(png.count) bytes): not .truncated at offsets \(wrong.prefix(20))")
            #expect(Self.outcome(png) == nil, "\(name) whole")
        }
    }

    @Test func jpegTruncatedAtEveryOffset() {
        for (name, jpeg) in Self.jpegs {
            var wrong: [Int] = []
            for cut in 1..<jpeg.count where Self.outcome(Array(jpeg[..<cut])) != .truncated(.jpeg) { wrong.append(cut) }
            #expect(wrong.isEmpty, "\(name) (\(jpeg.count) bytes): not .truncated at offsets \(wrong.prefix(20))")
            #expect(Self.outcome(jpeg) == nil, "\(name) whole")
        }
    }

    @Test func truncatedDescription() {
        #expect(ImageDecodeError.truncated(.jpeg).description == "truncated JPEG (premature end of data)")
        #expect(ImageDecodeError.truncated(.png).description == "truncated PNG (premature end of data)")
        #expect(ImageDecodeError.empty.description == "empty file (0 bytes)")
    }

    // MARK: Random damage

    /// Iterations per corpus file; DIGITD_FUZZ_ITERATIONS raises it for a long
    /// local run (e.g. under ASan).
    static let iterations = ProcessInfo.processInfo.environment["DIGITD_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 120

    /// Seeded bit flips anywhere (1-4 bits). Whatever is hit, the result is a
    /// decode or a typed error of the right kind: a flip in the signature makes
    /// it `.notAnImage`, elsewhere it is damage of the sniffed format.
    @Test func randomBitFlips() {
        var rng = SeededRandom(seed: 0xB17F11B5)
        var counts = [String: Int]()
        for (format, corpus) in [(ImageFormat.png, Self.pngs), (.jpeg, Self.jpegs)] {
            for (name, original) in corpus {
                for _ in 0..<Self.iterations {
                    var bytes = original
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                    }
                    let error = Self.outcome(bytes)
                    counts["\(format) \(error.map(Self.kind) ?? "decoded")", default: 0] += 1
                    if ImageFormat.sniff(bytes) == format {
                        #expect(error == nil || Self.isDamage(error, format), "\(name): \(String(describing: error))")
                    } else {
                        #expect(error == .notAnImage(prefix: Array(bytes.prefix(4))), "\(name): \(String(describing: error))")
                    }
                }
            }
        }
        // Most flips in a PNG hit CRC-protected data and are caught.
        #expect(counts["PNG corrupt", default: 0] > Self.iterations * Self.pngs.count / 2, "\(counts)")
    }

    /// Damage libpng cannot catch by CRC: flip bits inside one chunk's data
    /// and recompute its CRC, so the zlib stream, filter bytes, palette and
    /// header fields themselves are bad. Structure stays whole, so never
    /// `.truncated`.
    @Test func pngDamageBehindValidCRC() {
        var rng = SeededRandom(seed: 0xC0FFEE)
        var decoded = 0, corrupt = 0
        for (name, original) in Self.pngs {
            let chunks = Fixtures.pngChunks(original).filter { $0.length > 0 }
            for _ in 0..<Self.iterations {
                var bytes = original
                let chunk = chunks[Int.random(in: 0..<chunks.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let at = chunk.offset + 8 + Int.random(in: 0..<chunk.length, using: &rng)
                    bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                }
                Fixtures.fixPNGCRC(&bytes, chunkAt: chunk.offset)
                let error = Self.outcome(bytes)
                switch error {
                case nil: decoded += 1
                case .corrupt(.png, _), .zeroSize(.png), .tooLarge: corrupt += 1
                default: Issue.record("\(name) \(chunk.type): \(String(describing: error))")
                }
            }
        }
        #expect(corrupt > 0 && decoded > 0, "decoded \(decoded), refused \(corrupt)")
    }

    /// Runs of random bytes written over a JPEG: markers, tables and entropy
    /// data alike (0xFF included, so fake markers appear).
    @Test func jpegOverwrites() {
        var rng = SeededRandom(seed: 0x0FF5E7)
        for (name, original) in Self.jpegs {
            for _ in 0..<Self.iterations {
                var bytes = original
                let at = Int.random(in: 2..<bytes.count, using: &rng)
                for i in at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)) {
                    bytes[i] = Bool.random(using: &rng) ? 0xFF : UInt8.random(in: 0...255, using: &rng)
                }
                let error = Self.outcome(bytes)
                if ImageFormat.sniff(bytes) == .jpeg {
                    #expect(error == nil || Self.isDamage(error, .jpeg), "\(name): \(String(describing: error))")
                } else {  // the SOI's trailing FF was overwritten
                    #expect(error == .notAnImage(prefix: Array(bytes.prefix(4))), "\(name): \(String(describing: error))")
                }
            }
        }
    }

    /// Random bytes: not an image, unless they begin like one.
    @Test func randomBytes() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...3000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let error = Self.outcome(bytes)
            if let format = ImageFormat.sniff(bytes) {
                #expect(Self.isDamage(error, format))
            } else {
                #expect(error == .notAnImage(prefix: Array(bytes.prefix(4))))
            }
        }
    }

    /// Random bytes behind a real signature: damage, never a decode.
    @Test func randomBytesAfterSignature() {
        var rng = SeededRandom(seed: 7)
        let starts: [(ImageFormat, [UInt8])] = [
            (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), (.png, Array(Self.pngs[0].bytes.prefix(33))),
            (.jpeg, [0xFF, 0xD8, 0xFF]), (.jpeg, Array(Self.jpegs[2].bytes.prefix(200))),
        ]
        for (format, start) in starts {
            for _ in 0..<100 {
                let tail = (0..<Int.random(in: 0...2000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let error = Self.outcome(start + tail)
                #expect(error != nil && Self.isDamage(error, format), "\(String(describing: error))")
            }
        }
    }

    // MARK: Not images

    @Test func zeroBytes() {
        #expect(Self.outcome([]) == .empty)
        #expect(Self.outcome([0]) == .notAnImage(prefix: [0]))
        #expect(Self.outcome([0]).map(\.description) == "not a PNG or JPEG: starts with 00 (.)")
        let zeros = [UInt8](repeating: 0, count: 4096)
        #expect(Self.outcome(zeros) == .notAnImage(prefix: [0, 0, 0, 0]))
        #expect(Self.outcome(zeros).map(\.description) == "not a PNG or JPEG: starts with 00 00 00 00 (....)")
    }

    @Test func otherFormats() {
        let cases: [(String, [UInt8], String)] = [
            ("PDF", Array("%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj".utf8), "not a PNG or JPEG: starts with 25 50 44 46 (%PDF)"),
            ("GIF", Array("GIF89a".utf8) + [1, 0, 1, 0], "not a PNG or JPEG: starts with 47 49 46 38 (GIF8)"),
            ("BMP", [0x42, 0x4D, 0x3E, 0, 0, 0], "not a PNG or JPEG: starts with 42 4d 3e 00 (BM>.)"),
            ("WebP", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8),
             "not a PNG or JPEG: starts with 52 49 46 46 (RIFF)"),
            ("TIFF", [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], "not a PNG or JPEG: starts with 49 49 2a 00 (II*.)"),
            ("UTF-8 BOM text", [0xEF, 0xBB, 0xBF] + Array("hi".utf8), "not a PNG or JPEG: starts with ef bb bf 68 (...h)"),
            ("lone FF", [0xFF, 0x00, 0x12], "not a PNG or JPEG: starts with ff 00 12 (...)"),
        ]
        for (name, bytes, text) in cases {
            let error = Self.outcome(bytes)
            #expect(error == .notAnImage(prefix: Array(bytes.prefix(4))), "\(name)")
            #expect(error?.description == text, "\(name)")
        }
    }

    /// A text file named .png is refused by content, through the file path.
    @Test func textNamedPNG() throws {
        let path = Self.dir + "/notes.png"
        try Data("Hello, this is not an image.\nSecond line.\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImageDecodeError.notAnImage(prefix: Array("Hell".utf8))) {
            try Self.decoder.decode(contentsOf: path)
        }
        let error = try #require(throws: ImageDecodeError.self) { try Self.decoder.decode(contentsOf: path) }
        #expect(error.description == "not a PNG or JPEG: starts with 48 65 6c 6c (Hell)")
    }

    // MARK: PNG structure damage

    @Test func pngBadCRC() {
        let png = Self.pngs[0].bytes
        for type in ["IHDR", "PLTE", "IDAT", "IEND"] {
            let bytes = Fixtures.damagingPNGCRC(png, of: type)   // first CRC byte
            #expect(Self.outcome(bytes) == .corrupt(.png, "\(type): CRC error"), "\(type)")
        }
    }

    /// A bad CRC on an ancillary chunk (tRNS here) loses that chunk, not the
    /// image: libpng warns and decodes without it.
    @Test func pngBadAncillaryCRC() throws {
        let (png, expected) = try PNGDecodeTests.make(.init(color: .palette, bitDepth: 8, transparency: true),
                                                      width: 6, height: 5, seed: 11)
        let bytes = Fixtures.damagingPNGCRC(png, of: "tRNS", bit: 0x80)
        let image = try Self.decoder.decode(bytes).image
        #expect(image.width == 6 && image.height == 5)
        #expect(image != expected)   // the transparency is gone, so palette colours show
    }

    @Test func pngStructure() {
        let png = Self.pngs[1].bytes          // gray 16-bit: IHDR IDAT IEND
        let ihdr = Fixtures.pngChunk(png, "IHDR"), idat = Fixtures.pngChunk(png, "IDAT"), iend = Fixtures.pngChunk(png, "IEND")
        let signatureAndHeader = Array(png[..<(ihdr.offset + 12 + ihdr.length)])
        let iendBytes = Array(png[iend.offset...])

        // No IEND (cut right after the last IDAT): truncated.
        #expect(Self.outcome(Array(png[..<iend.offset])) == .truncated(.png))
        // No IDAT at all.
        #expect(Self.isDamage(Self.outcome(signatureAndHeader + iendBytes), .png))
        if case .corrupt = Self.outcome(signatureAndHeader + iendBytes) {} else { Issue.record("no IDAT") }
        // IDAT's zlib data cut short, chunk lengths and CRC made consistent.
        var shortIDAT = Array(png[..<(idat.offset + 8 + idat.length / 2)])
        Fixtures.writeBE32(&shortIDAT, idat.offset, UInt32(idat.length / 2))
        shortIDAT += [0, 0, 0, 0]
        Fixtures.fixPNGCRC(&shortIDAT, chunkAt: idat.offset)
        if case .corrupt(.png, _) = Self.outcome(shortIDAT + iendBytes) {} else {
            Issue.record("short IDAT: \(String(describing: Self.outcome(shortIDAT + iendBytes)))")
        }
        // A chunk length past the end of the file.
        var longLength = png
        Fixtures.writeBE32(&longLength, idat.offset, UInt32(idat.length + 100_000))
        #expect(Self.outcome(longLength) == .truncated(.png) || Self.isDamage(Self.outcome(longLength), .png))
        // A length beyond 2^31: refused outright.
        var hugeLength = png
        Fixtures.writeBE32(&hugeLength, idat.offset, 0xFFFF_FFF0)
        if case .corrupt(.png, _) = Self.outcome(hugeLength) {} else { Issue.record("huge chunk length") }
        // Garbage after IEND is ignored.
        #expect(Self.outcome(png + Array("trailing junk".utf8)) == nil)
        // The signature followed by a JPEG.
        #expect(Self.isDamage(Self.outcome(Array(png.prefix(8)) + Self.jpegs[2].bytes), .png))
    }

    /// A zTXt chunk that inflates to 1 GB (6.5 MB of file): libpng stops at
    /// its chunk limit and drops the chunk, the image decodes, and only
    /// milliseconds of CPU go into it (a full inflate takes about a second).
    @Test func pngTextDecompressionBomb() throws {
        let (png, expected) = try PNGDecodeTests.make(.init(color: .rgb, bitDepth: 8), width: 9, height: 7, seed: 12)
        let copies = 4_000_000
        let stream = Fixtures.zlibZeroBomb(copies: copies)
        // The stream really is a bomb: its first megabyte inflates to zeros
        // (checked through zlib on a short prefix of the same construction).
        var small = [UInt8](repeating: 1, count: 1 + 258 * 100)
        var smallLength = UInt(small.count)
        let smallStream = Fixtures.zlibZeroBomb(copies: 100)
        #expect(uncompress(&small, &smallLength, smallStream, UInt(smallStream.count)) == Z_OK)
        #expect(smallLength == UInt(small.count) && small.allSatisfy { $0 == 0 })

        let bomb = Fixtures.insertingPNGChunk(png, type: "zTXt", data: Array("Comment".utf8) + [0, 0] + stream)
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        let decoded = try Self.decoder.decode(bomb)
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        #expect(decoded.image == expected)
        #expect(seconds < 0.2, "decoding took \(seconds) s of CPU")
    }

    /// A palette image without its palette.
    @Test func pngPaletteMissing() {
        let png = Self.pngs[0].bytes
        let plte = Fixtures.pngChunk(png, "PLTE")
        let bytes = Array(png[..<plte.offset]) + Array(png[(plte.offset + 12 + plte.length)...])
        if case .corrupt(.png, _) = Self.outcome(bytes) {} else {
            Issue.record("\(String(describing: Self.outcome(bytes)))")
        }
    }

    /// An invalid bit depth / colour type pair is a corrupt header, not a size.
    @Test func pngInvalidHeaderFields() {
        var bytes = Self.pngs[1].bytes
        bytes[24] = 3                          // bit depth 3
        Fixtures.fixPNGCRC(&bytes, chunkAt: 8)
        #expect(Self.outcome(bytes) == .corrupt(.png, "Invalid IHDR data"))
        var color = Self.pngs[1].bytes
        color[25] = 5                          // colour type 5 does not exist
        Fixtures.fixPNGCRC(&color, chunkAt: 8)
        #expect(Self.outcome(color) == .corrupt(.png, "Invalid IHDR data"))
    }

    // MARK: JPEG structure damage

    /// Without EOI libjpeg cannot know the data was complete: truncated, for
    /// baseline, progressive and arithmetic files alike.
    @Test func jpegWithoutEOI() {
        for (name, jpeg) in Self.jpegs {
            #expect(Self.outcome(Fixtures.jpegWithoutEOI(jpeg)) == .truncated(.jpeg), "\(name)")
        }
    }

    /// Where the entropy-coded data of the first scan starts.
    static func firstScanData(_ jpeg: [UInt8]) -> Int {
        let sos = Fixtures.jpegSegment(jpeg, marker: 0xDA)!
        return sos + (Int(jpeg[sos]) << 8 | Int(jpeg[sos + 1]))
    }

    /// Scan data cut short but closed with a proper EOI: libjpeg fills the
    /// rest with grey and warns; those are not the file's pixels.
    /// (Arithmetic coding is left out: its decoder pads silently at a marker,
    /// with no warning to act on. A progressive file cut exactly between
    /// scans is a legal file with fewer scans and decodes.)
    @Test func jpegScanCutThenEOI() {
        for (name, jpeg) in Self.jpegs where name != "arithmetic" {
            let cut = Array(jpeg[..<(Self.firstScanData(jpeg) + 2)])
            #expect(Self.outcome(cut + [0xFF, 0xD9])
                    == .corrupt(.jpeg, "Corrupt JPEG data: premature end of data segment"), "\(name)")
        }
    }

    /// Every single-bit flip in the entropy data of the arithmetic-coded file:
    /// the ones libjpeg detects (JWRN_ARITH_BAD_CODE, after which it zeroes the
    /// rest of the scan) must fail, as Huffman's bad codes do.
    @Test func arithmeticBadCodeIsCorrupt() {
        let jpeg = Self.jpegs.first { $0.name == "arithmetic" }!.bytes
        var badCode = 0
        for at in Self.firstScanData(jpeg)..<(jpeg.count - 2) {
            for bit in 0..<8 {
                var bytes = jpeg
                bytes[at] ^= 1 << bit
                let error = Self.outcome(bytes)
                #expect(error == nil || Self.isDamage(error, .jpeg))
                if error == .corrupt(.jpeg, "Corrupt JPEG data: bad arithmetic code") { badCode += 1 }
            }
        }
        #expect(badCode > 0)
    }

    /// The Huffman counterpart: every single-bit flip in a baseline file's
    /// entropy data either decodes or is refused as corrupt; a run of 1 bits
    /// longer than any code (stuffed FF 00 bytes) is libjpeg's bad Huffman
    /// code, refused.
    @Test func huffmanBadCodeIsCorrupt() {
        let jpeg = Self.jpegs.first { $0.name == "gray" }!.bytes
        let start = Self.firstScanData(jpeg)
        for at in start..<(jpeg.count - 2) {
            for bit in 0..<8 {
                var bytes = jpeg
                bytes[at] ^= 1 << bit
                let error = Self.outcome(bytes)
                #expect(error == nil || Self.isDamage(error, .jpeg))
            }
        }
        var ones = jpeg
        ones.replaceSubrange((start + 1)..<(start + 7), with: [0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00])
        #expect(Self.outcome(ones) == .corrupt(.jpeg, "Corrupt JPEG data: bad Huffman code"))
    }

    @Test func jpegStructure() {
        let jpeg = Self.jpegs[2].bytes
        let sos = Fixtures.jpegSegment(jpeg, marker: 0xDA)! - 2
        // Tables and frame header but no scan.
        if case .corrupt(.jpeg, _) = Self.outcome(Array(jpeg[..<sos]) + [0xFF, 0xD9]) {} else {
            Issue.record("no SOS")
        }
        // SOI then EOI.
        if case .corrupt(.jpeg, _) = Self.outcome([0xFF, 0xD8, 0xFF, 0xD9]) {} else { Issue.record("SOI EOI") }
        // A scan without a frame header.
        let sof = Fixtures.jpegSegment(jpeg, marker: 0xC0)! - 2
        let sofLength = Int(jpeg[sof + 2]) << 8 | Int(jpeg[sof + 3])
        let noSOF = Array(jpeg[..<sof]) + Array(jpeg[(sof + 2 + sofLength)...])
        if case .corrupt(.jpeg, _) = Self.outcome(noSOF) {} else { Issue.record("no SOF") }
        // A marker segment whose length runs past the end.
        var longSegment = jpeg
        longSegment[sof + 2] = 0xFF
        #expect(Self.isDamage(Self.outcome(longSegment), .jpeg))
        // Trailing garbage after EOI is ignored.
        #expect(Self.outcome(jpeg + Array("trailing junk".utf8)) == nil)
        // 12-bit precision is not supported by this libjpeg build.
        var twelveBit = jpeg
        twelveBit[sof + 4] = 12
        if case .corrupt(.jpeg, _) = Self.outcome(twelveBit) {} else { Issue.record("12-bit") }
    }

    // MARK: Unreadable paths

    @Test func directoryFIFOAndMissing() throws {
        let dir = Self.dir + "/a-directory.png"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: ImageDecodeError.unreadable("not a regular file")) { try Self.decoder.decode(contentsOf: dir) }
        #expect(ImageDecodeError.unreadable("not a regular file").description == "cannot read file: not a regular file")

        let fifo = Self.dir + "/fifo.jpg"
        unlink(fifo)
        #expect(mkfifo(fifo, 0o644) == 0)
        // O_NONBLOCK: opening a FIFO with no writer must not hang.
        #expect(throws: ImageDecodeError.unreadable("not a regular file")) { try Self.decoder.decode(contentsOf: fifo) }
        unlink(fifo)

        #expect(throws: ImageDecodeError.unreadable("not a regular file")) {
            try Self.decoder.decode(contentsOf: "/dev/null")
        }
        #expect(throws: ImageDecodeError.unreadable("No such file or directory")) {
            try Self.decoder.decode(contentsOf: Self.dir + "/does-not-exist.png")
        }
        let empty = Self.dir + "/empty.png"
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(throws: ImageDecodeError.empty) { try Self.decoder.decode(contentsOf: empty) }
    }

    /// chmod 000. Root reads any file regardless of its mode bits, so there the
    /// refusal cannot happen and the test is skipped (reported as skipped).
    @Test(.enabled(if: geteuid() != 0, "running as root: file permissions are not enforced"))
    func unreadablePermissions() throws {
        let path = Self.dir + "/locked.png"
        try Data(Self.pngs[1].bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, 0)
        defer { chmod(path, 0o644) }
        #expect(throws: ImageDecodeError.unreadable("Permission denied")) { try Self.decoder.decode(contentsOf: path) }
    }

    /// As root the same chmod 000 file is read like any other: said here so
    /// the skip above is not mistaken for a pass.
    @Test(.enabled(if: geteuid() == 0, "not root: covered by unreadablePermissions"))
    func rootReadsModeZeroFiles() throws {
        let path = Self.dir + "/locked-root.png"
        try Data(Self.pngs[1].bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, 0)
        defer { chmod(path, 0o644) }
        #expect(try Self.decoder.decode(contentsOf: path).image.width == 12)
    }

    static func kind(_ error: ImageDecodeError) -> String {
        switch error {
        case .unreadable: "unreadable"
        case .unavailable: "unavailable"
        case .empty: "empty"
        case .fileTooLarge: "fileTooLarge"
        case .notAnImage: "notAnImage"
        case .truncated: "truncated"
        case .corrupt: "corrupt"
        case .zeroSize: "zeroSize"
        case .tooLarge: "tooLarge"
        case .overBudget: "overBudget"
        }
    }
}
