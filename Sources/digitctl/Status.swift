import ArgumentParser
import DigitdCore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Is digitd ready; queue depth, counts, current model, throughput."
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let status: DaemonStatus
        do { status = try daemon.control().status() } catch let error as DigitdError { throw error } catch {
            throw DigitdError("\(error)")
        }
        if json {
            print(try JSONCoding.text(status))
            return
        }
        print("digitd: \(status.ready ? "ready" : "starting"), up \(Self.duration(status.uptimeSeconds)), model \(status.model)")
        print("root: \(status.root)")
        print("queue: \(status.queueDepth) waiting")
        print(String(format: "processed: %d (ok %d, review %d, blank %d, error %d), %.1f images/s over the last minute",
                     status.processed, status.ok, status.review, status.blank, status.errors, status.imagesPerSecond))
        if !status.trust.isEmpty { print("review: \(status.trust)") }
        let buckets = status.batchSizes.sorted { Int($0.key.prefix { $0.isNumber }) ?? 0 < Int($1.key.prefix { $0.isNumber }) ?? 0 }
        if !buckets.isEmpty { print("batch sizes: " + buckets.map { "\($0.key): \($0.value)" }.joined(separator: ", ")) }
        if let last = status.lastBatchAt { print("last batch: \(last.formatted(.iso8601))") }
        if let tune = status.fineTune {
            let verdict = [tune.state.rawValue, tune.version, tune.reason].compactMap { $0 }.joined(separator: " ")
            print("fine-tune #\(tune.run) (\(tune.trigger)): \(verdict)" + (tune.finishedAt.map { ", \($0.formatted(.iso8601))" } ?? ""))
        }
        print("replay reservoir: \(status.replayExamples) images")
        if let degraded = status.degraded { print("degraded: \(degraded) (intake paused; resumes by itself when it clears)") }
        for problem in status.problems { print("problem: \(problem)") }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        return "\(s / 3600)h\(s % 3600 / 60)m"
    }
}
