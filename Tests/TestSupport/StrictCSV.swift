import Foundation

/// An RFC 4180 reader written from the RFC, independent of CSV.swift: records
/// end with CRLF, a field is either plain (no quote, comma, CR or LF) or
/// quoted (`""` for a quote inside). Anything else is an error, so a torn or
/// glued row cannot slip through as a strange but accepted record.
public enum StrictCSV {
    public struct Malformed: Error, CustomStringConvertible {
        public var offset: Int
        public var why: String
        public var description: String { "malformed CSV at byte \(offset): \(why)" }
    }

    public static func parse(_ bytes: [UInt8]) throws -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [[String]] = []
        var record: [String] = []
        var i = 0
        while i < bytes.count {
            var field: [UInt8] = []
            if bytes[i] == quote {
                i += 1
                while true {
                    guard i < bytes.count else { throw Malformed(offset: i, why: "unterminated quoted field") }
                    if bytes[i] == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                        } else {
                            i += 1
                            break
                        }
                    } else {
                        field.append(bytes[i])
                        i += 1
                    }
                }
            } else {
                while i < bytes.count, bytes[i] != comma, bytes[i] != cr, bytes[i] != lf {
                    if bytes[i] == quote { throw Malformed(offset: i, why: "quote inside a plain field") }
                    field.append(bytes[i])
                    i += 1
                }
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Malformed(offset: i, why: "field is not UTF-8")
            }
            record.append(text)
            guard i < bytes.count else { throw Malformed(offset: i, why: "last record without CRLF") }
            if bytes[i] == comma {
                i += 1
                if i == bytes.count { throw Malformed(offset: i, why: "file ends after a comma") }
                continue
            }
            guard bytes[i] == cr, i + 1 < bytes.count, bytes[i + 1] == lf else {
                throw Malformed(offset: i, why: "record not ended by CRLF")
            }
            i += 2
            records.append(record)
            record = []
        }
        return records
    }

    /// The rows of every results CSV in `folder` (header checked and dropped),
    /// in file order.
    public static func resultRows(in folder: String) throws -> [[String: String]] {
        var rows: [[String: String]] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
            let records = try parse(bytes)
            guard let header = records.first else { continue }
            for (n, record) in records.dropFirst().enumerated() {
                guard record.count == header.count else {
                    throw Malformed(offset: n, why: "\(file): row \(n + 1) has \(record.count) fields, header \(header.count)")
                }
                if record == header { throw Malformed(offset: n, why: "\(file): header repeated at row \(n + 1)") }
                rows.append(Dictionary(uniqueKeysWithValues: zip(header, record)))
            }
        }
        return rows
    }
}
