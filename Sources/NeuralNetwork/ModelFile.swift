import Crypto
import Foundation

/// The model file:
///
///     "DGTMODEL"                 8 bytes, magic
///     version                    UInt32 little-endian (2; 1 is still read)
///     header length H            UInt32 little-endian
///     header                     H bytes of JSON: architecture, layout, tensor table,
///                                input normalization, training record, calibration
///                                (version 2: a version-1 reader would ignore the temperature)
///     parameters                 float32 little-endian, SeedCNN.tensors order and layout
///     SHA-256                    32 bytes, of everything before it
///
/// Loading checks each part and refuses anything that is not exactly a seed CNN written by
/// this format, so a damaged file is an error, never a silently wrong model.
public enum ModelFile {
    public static let magic = Array("DGTMODEL".utf8)
    public static let version: UInt32 = 2
    /// Versions this build reads: 1 has no calibration (temperature 1).
    static let readable: ClosedRange<UInt32> = 1...2
    public static let fileExtension = "digitd-model"
    static let maximumHeaderLength = 1 << 20
    static let checksumLength = 32

    struct Header: Codable {
        var architecture: [String]
        var layout: String
        var tensors: [ParameterTensor]
        var input: InputNormalization
        var training: TrainingRecord?
        var calibration: Calibration?
    }

    public static func encode(_ model: Model) throws -> [UInt8] {
        let header = Header(
            architecture: SeedCNN.architecture, layout: SeedCNN.layout, tensors: SeedCNN.tensors,
            input: model.normalization, training: model.training, calibration: model.calibration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = Array(try encoder.encode(header))
        var bytes = magic
        bytes.reserveCapacity(16 + json.count + model.parameters.count * 4 + checksumLength)
        append(version, to: &bytes)
        append(UInt32(json.count), to: &bytes)
        bytes += json
        for value in model.parameters { append(value.bitPattern, to: &bytes) }
        bytes += SHA256.hash(data: bytes)
        return bytes
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> Model {
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw .notAModelFile(path: path) }
        let fileVersion = readUInt32(bytes, at: 8)
        guard readable.contains(fileVersion) else { throw .unsupportedVersion(path: path, found: fileVersion, supported: version) }
        let headerLength = Int(readUInt32(bytes, at: 12))
        guard headerLength <= maximumHeaderLength else { throw .corrupt(path: path, "header length \(headerLength) is absurd") }
        let payloadStart = 16 + headerLength
        let expectedSize = payloadStart + SeedCNN.parameterCount * 4 + checksumLength
        guard bytes.count >= expectedSize else { throw .truncated(path: path, expected: expectedSize, found: bytes.count) }
        guard bytes.count == expectedSize else {
            throw .corrupt(path: path, "\(bytes.count - expectedSize) unexpected bytes after the parameters")
        }
        let checksumStart = expectedSize - checksumLength
        let digest = Array(SHA256.hash(data: bytes[0..<checksumStart]))
        guard digest == Array(bytes[checksumStart...]) else { throw .checksumMismatch(path: path) }

        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<payloadStart]))
        } catch {
            throw .corrupt(path: path, "header is not valid JSON: \(error)")
        }
        guard header.architecture == SeedCNN.architecture, header.layout == SeedCNN.layout, header.tensors == SeedCNN.tensors else {
            throw .wrongArchitecture(path: path, found: header.architecture.joined(separator: ", "))
        }
        guard header.input.std > 0, header.input.mean.isFinite, header.input.std.isFinite else {
            throw .corrupt(path: path, "input normalization \(header.input) is unusable")
        }
        let parameters = (0..<SeedCNN.parameterCount).map { Float(bitPattern: readUInt32(bytes, at: payloadStart + 4 * $0)) }
        guard parameters.allSatisfy(\.isFinite) else { throw .corrupt(path: path, "parameters contain NaN or infinity") }
        if let t = header.calibration?.temperature, !(t.isFinite && t > 0) {
            throw .corrupt(path: path, "calibration temperature \(t) is unusable")
        }
        return Model(parameters: parameters, normalization: header.input, training: header.training,
                     calibration: fileVersion >= 2 ? header.calibration : nil)
    }

    public static func load(_ path: String) throws(ModelFileError) -> Model {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(path: path, reason: exists ? (error as NSError).localizedDescription : "no such file")
        }
        return try decode(bytes, path: path)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}

public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notAModelFile(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case truncated(path: String, expected: Int, found: Int)
    case checksumMismatch(path: String)
    case corrupt(path: String, String)
    case wrongArchitecture(path: String, found: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read model file: \(reason)"
        case .notAModelFile(let path): return "\(path): not a digitd model file (bad magic)"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path): model file version \(found) is not supported (this build reads version \(supported))"
        case .truncated(let path, let expected, let found):
            return "\(path): model file is truncated: \(found) bytes, expected \(expected)"
        case .checksumMismatch(let path): return "\(path): model file is corrupt: SHA-256 checksum does not match"
        case .corrupt(let path, let why): return "\(path): model file is corrupt: \(why)"
        case .wrongArchitecture(let path, let found): return "\(path): model is not the seed CNN this engine runs (architecture: \(found))"
        case .writeFailed(let path, let reason): return "\(path): cannot write model file: \(reason)"
        }
    }
}
