import ArgumentParser
import DigitdCore
import Foundation

struct Relabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say what digit a classified scan really is; the next fine-tune learns from it.",
        discussion: """
        IMAGE is the name the file had in the inbox (the CSV `file` column) or a path to it in done/.
        The original is copied into labels/DIGIT/ (labels/not-a-digit/ for x) with a record of the
        earlier prediction; relabeling it again replaces its label. Goes through digitd when it runs, else straight to the folders.
        """
    )

    @Argument(help: "The scan's inbox name or its path in done/.")
    var image: String?

    @Argument(help: "The true digit, 0-9, or x: not a digit (fine-tunes learn to send such marks to review).")
    var digit: String?

    @Option(name: .customLong("from-csv"), help: "Relabel many: a CSV of file,digit rows (digit 0-9 or x; header optional).")
    var fromCSV: String?

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if fromCSV == nil && (image == nil || digit == nil) { throw ValidationError("give IMAGE DIGIT, or --from-csv FILE") }
        if let digit, RelabelList.label(digit) == nil { throw ValidationError("DIGIT is 0-9 or x (not a digit), not \(digit)") }
        if fromCSV != nil && image != nil { throw ValidationError("give IMAGE DIGIT or --from-csv FILE, not both") }
    }

    func run() throws {
        let requests: [RelabelRequest]
        if let fromCSV {
            do { requests = try RelabelList.read(fromCSV).map { RelabelRequest(image: Self.absolute($0.image), label: $0.label) } } catch {
                throw DigitdError("\(error)")
            }
        } else {
            requests = [RelabelRequest(image: Self.absolute(image!), label: RelabelList.label(digit!)!)]
        }
        // Through the daemon when it answers, else offline on the same folders.
        let control = try daemon.control()
        var failures = 0
        var answers: [RelabelResult] = []
        for request in requests {
            do {
                let result = try control.relabel(request)
                answers.append(result)
                if !json { print(Self.describe(result)) }
            } catch {
                failures += 1
                if requests.count == 1 { throw DigitdError("\(error)") }
                FileHandle.standardError.write(Data("\(request.image): \(error)\n".utf8))
            }
        }
        if json { print(try JSONCoding.text(answers)) }
        if failures > 0 { throw DigitdError("\(failures) of \(requests.count) relabels failed") }
    }

    /// A path is sent to the daemon absolute; a bare name stays a name.
    static func absolute(_ image: String) -> String {
        image.contains("/") ? URL(fileURLWithPath: image).standardizedFileURL.path : image
    }

    static func describe(_ result: RelabelResult) -> String {
        let record = result.record
        var was = "no earlier prediction"
        if let status = record.previousStatus {
            was = status == "ok"
                ? String(format: "was %d at %.2f by %@", record.previousDigit ?? -1, record.previousConfidence ?? 0, record.model ?? "?")
                : "was \(status)"
        }
        let replaced = result.replacedDigit.map { ", replacing label \($0)" } ?? (result.replacedNotADigit == true ? ", replacing label not a digit" : "")
        return "\(record.file): \(record.label) (\(was)\(replaced)) -> \(record.storedAs)"
    }
}
