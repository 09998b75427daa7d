import CSV
import Foundation
import ScanKinds

/// `digitctl relabel --from-csv FILE` (rows of file,digit) and `digitctl review --decisions
/// FILE` (claim,digit): RFC 4180, a header row allowed (its second field says "digit"), for
/// bulk corrections. The digit is 0-9 or x (not a digit); any other is an error, the first
/// row's too.
public enum RelabelList {
    /// `label` nil: not a digit.
    public static func read(_ path: String, key: String = "file") throws -> [(image: String, label: Int?)] {
        guard let stream = InputStream(fileAtPath: path) else { throw DigitdError("\(path): cannot open") }
        let reader: CSVReader
        do { reader = try CSVReader(stream: stream) } catch { throw DigitdError("\(path): \(error)") }
        var rows: [(String, Int?)] = []
        var line = 0
        while let fields = reader.next() {
            line += 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= 2 else { throw DigitdError("\(path):\(line): expected \(key),digit") }
            let digitText = fields[1].trimmingCharacters(in: .whitespaces)
            guard let label = label(digitText) else {
                if line == 1 && digitText.lowercased() == "digit" { continue }  // the header
                throw DigitdError("\(path):\(line): digit must be 0-9 or x (not a digit), not \"\(digitText)\"")
            }
            rows.append((fields[0], label))
        }
        return rows
    }

    /// A label as people type it: 0-9 as .some(digit), x (or not-a-digit) as .some(nil), else nil.
    public static func label(_ text: String) -> Int?? {
        if text == "x" || text == "X" || text == RobustnessSuite.notADigitFolder { return .some(nil) }
        guard let digit = Int(text), (0...9).contains(digit) else { return nil }
        return .some(digit)
    }
}
