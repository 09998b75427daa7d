import CSV
import Foundation

/// `digitctl relabel --from-csv FILE`: rows of file,digit (RFC 4180; a header
/// row is allowed), for bulk corrections.
public enum RelabelList {
    public static func read(_ path: String) throws -> [(image: String, digit: Int)] {
        guard let stream = InputStream(fileAtPath: path) else { throw DigitdError("\(path): cannot open") }
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream) } catch { throw DigitdError("\(path): \(error)") }
        var rows: [(String, Int)] = []
        var line = 0
        while let fields = reader.next() {
            line += 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= 2 else { throw DigitdError("\(path):\(line): expected file,digit") }
            let digitText = fields[1].trimmingCharacters(in: .whitespaces)
            guard let digit = Int(digitText), (0...9).contains(digit) else {
                if line == 1 { continue }  // the header
                throw DigitdError("\(path):\(line): digit must be 0-9, not \"\(digitText)\"")
            }
            rows.append((fields[0], digit))
        }
        return rows
    }
}
