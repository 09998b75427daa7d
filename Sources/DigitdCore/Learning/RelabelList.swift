import CSV
import Foundation

/// `digitctl relabel --from-csv FILE` (rows of file,digit) and `digitctl review --decisions
/// FILE` (claim,digit): RFC 4180, a header row allowed (its second field says "digit"), for
/// bulk corrections. Any other row with no digit 0-9 is an error, the first one too.
public enum RelabelList {
    public static func read(_ path: String, key: String = "file") throws -> [(image: String, digit: Int)] {
        guard let stream = InputStream(fileAtPath: path) else { throw DigitdError("\(path): cannot open") }
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream) } catch { throw DigitdError("\(path): \(error)") }
        var rows: [(String, Int)] = []
        var line = 0
        while let fields = reader.next() {
            line += 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= 2 else { throw DigitdError("\(path):\(line): expected \(key),digit") }
            let digitText = fields[1].trimmingCharacters(in: .whitespaces)
            guard let digit = Int(digitText), (0...9).contains(digit) else {
                if line == 1 && digitText.lowercased() == "digit" { continue }  // the header
                throw DigitdError("\(path):\(line): digit must be 0-9, not \"\(digitText)\"")
            }
            rows.append((fields[0], digit))
        }
        return rows
    }
}
