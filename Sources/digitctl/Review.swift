import ArgumentParser
import DigitdCore
import Foundation
import Hummingbird
import ReviewStation

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The review station: a local web page to clear uncertain scans with the keyboard.",
        discussion: """
        Serves the review queue on 127.0.0.1 (a free port unless --listen) and prints its URL with a
        one-time token. Decisions go to digitd as relabels by the user who runs this. For scripts:
        --next N prints the queue's first N scans; --decisions FILE applies claim,digit rows.
        """
    )

    @OptionGroup var daemon: DaemonOptions

    @Option(help: "Address to serve on, HOST:PORT (default 127.0.0.1:0, a free port).")
    var listen = "127.0.0.1:0"

    @Option(help: "Print the first N scans of the queue and exit.")
    var next: Int?

    @Option(help: "Apply decisions from a CSV of claim,digit rows (digit 0-9 or x; header optional) and exit.")
    var decisions: String?

    @Flag(help: "With --next or --decisions: print JSON.")
    var json = false

    func validate() throws {
        if next != nil && decisions != nil { throw ValidationError("give --next N or --decisions FILE, not both") }
        if let next, next < 1 { throw ValidationError("--next takes a count of 1 or more") }
        if json && next == nil && decisions == nil { throw ValidationError("--json goes with --next or --decisions") }
    }

    func run() async throws {
        let control = try daemon.control()
        if let next { return try printQueue(control, next) }
        if let decisions { return try apply(control, decisions) }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen takes HOST:PORT, not \(listen)")
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let station = ReviewStation(control: control)
        let token = station.token
        let app = station.application(host: host, port: port) { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            // Written at once, not buffered: whoever started this (a script, a test) waits for it.
            FileHandle.standardOutput.write(Data("review station: http://\(shown):\(port)/?token=\(token)\n".utf8))
        }
        try await app.runService()
    }

    private func printQueue(_ control: any DigitdControl, _ count: Int) throws {
        let items = try control.reviewQueue(limit: count)
        if json { return print(try JSONCoding.text(items)) }
        for item in items {
            let second = item.secondDigit.map { String(format: ", then %d at %.2f", $0, item.secondConfidence ?? 0) } ?? ""
            print(String(format: "%@  %@  %d at %.2f%@  %@", item.claim, item.status, item.digit, item.confidence, second, item.file))
        }
    }

    private func apply(_ control: any DigitdControl, _ path: String) throws {
        let rows: [(image: String, label: Int?)]
        do { rows = try RelabelList.read(path, key: "claim") } catch { throw DigitdError("\(error)") }
        guard !rows.isEmpty else { throw DigitdError("\(path): no decisions (claim,digit rows)") }
        var answers: [RelabelResult] = []
        var failures = 0
        for row in rows {
            do {
                let result = try control.relabel(RelabelRequest(image: row.image, label: row.label, claim: row.image))
                answers.append(result)
                if !json { print(Relabel.describe(result)) }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("\(row.image): \(error)\n".utf8))
            }
        }
        if json { print(try JSONCoding.text(answers)) }
        if failures > 0 { throw DigitdError("\(failures) of \(rows.count) decisions failed") }
    }
}
