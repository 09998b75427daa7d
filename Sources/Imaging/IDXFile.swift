import CZlib

/// MNIST's IDX files (plain or gzip'd): big-endian magic, counts, raw bytes.
public enum IDXFile {
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case unreadable(path: String)
        case unwritable(path: String)
        case badHeader(path: String, String)
        case short(path: String, expected: Int, got: Int)

        public var description: String {
            switch self {
            case .unreadable(let path): return "\(path): cannot open"
            case .unwritable(let path): return "\(path): cannot write"
            case .badHeader(let path, let why): return "\(path): not an IDX file: \(why)"
            case .short(let path, let expected, let got):
                return "\(path): file is short: expected \(expected) bytes of data, got \(got)"
            }
        }
    }

    /// Images: magic 2051, count, rows, columns, then count*rows*columns bytes.
    public static func readImages(_ path: String) throws(Error) -> (images: [UInt8], count: Int, rows: Int, columns: Int) {
        let bytes = try inflate(path)
        let header = try readHeader(bytes, path: path, magic: 2051, dimensions: 3)
        let (count, rows, columns) = (header[0], header[1], header[2])
        let data = try payload(bytes, path: path, headerSize: 16, expected: count * rows * columns)
        return (data, count, rows, columns)
    }

    /// Labels: magic 2049, count, then count bytes.
    public static func readLabels(_ path: String) throws(Error) -> [UInt8] {
        let bytes = try inflate(path)
        let count = try readHeader(bytes, path: path, magic: 2049, dimensions: 1)[0]
        return try payload(bytes, path: path, headerSize: 8, expected: count)
    }

    /// Writes images as IDX (magic 2051), gzip'd at level 9 when `path` ends in `.gz`.
    public static func writeImages(_ images: [UInt8], count: Int, rows: Int, columns: Int, to path: String) throws(Error) {
        precondition(images.count == count * rows * columns)
        try write(header(2051, [count, rows, columns]) + images, to: path)
    }

    /// Writes labels as IDX (magic 2049), gzip'd at level 9 when `path` ends in `.gz`.
    public static func writeLabels(_ labels: [UInt8], to path: String) throws(Error) {
        try write(header(2049, [labels.count]) + labels, to: path)
    }

    private static func header(_ magic: Int, _ sizes: [Int]) -> [UInt8] {
        ([magic] + sizes).flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    }

    // zlib's gzip header carries no name or time: the same data gives the same file.
    private static func write(_ bytes: [UInt8], to path: String) throws(Error) {
        guard let file = gzopen(path, path.hasSuffix(".gz") ? "wb9" : "wT") else { throw .unwritable(path: path) }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, written == bytes.count else { throw .unwritable(path: path) }
    }

    private static func readHeader(_ bytes: [UInt8], path: String, magic: Int, dimensions: Int) throws(Error) -> [Int] {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        let size = 4 + 4 * dimensions
        guard bytes.count >= size else { throw .badHeader(path: path, "only \(bytes.count) bytes") }
        guard u32(0) == magic else { throw .badHeader(path: path, "magic \(u32(0)), expected \(magic)") }
        let sizes = (0..<dimensions).map { u32(4 + 4 * $0) }
        guard sizes.allSatisfy({ $0 < 1 << 28 }) else { throw .badHeader(path: path, "absurd sizes \(sizes)") }
        return sizes
    }

    private static func payload(_ bytes: [UInt8], path: String, headerSize: Int, expected: Int) throws(Error) -> [UInt8] {
        let got = bytes.count - headerSize
        guard got >= expected else { throw .short(path: path, expected: expected, got: got) }
        return Array(bytes[headerSize..<(headerSize + expected)])
    }

    /// The file's bytes, gunzipped by zlib when gzip'd (gzread passes plain files through).
    private static func inflate(_ path: String) throws(Error) -> [UInt8] {
        guard let file = gzopen(path, "rb") else { throw .unreadable(path: path) }
        defer { gzclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw .badHeader(path: path, "gzip stream is corrupt") }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}
