import ArgumentParser
import DigitdCore
import Foundation

struct FineTuneNow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune-now",
        abstract: "Fine-tune on the corrections now; print progress and the validation gate's verdict.",
        discussion: "Exit status: 0 promoted, 2 rejected by the gate, 1 failed or digitd unreachable."
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Queue the run and return at once.")
    var noWait = false

    @Flag(help: "Print the final report as JSON.")
    var json = false

    func run() throws {
        let control = try daemon.control()
        do {
            let queued = try control.requestFineTune()
            if noWait {
                print(json ? try JSONCoding.text(queued) : "fine-tune #\(queued.run) queued")
                return
            }
            var shownEpoch = -1
            while true {
                let report = try control.fineTuneReport()
                if report.run == queued.run && report.isFinished || report.run > queued.run {
                    // A run over before the first look still gets its first line.
                    if !json && shownEpoch < 0 && report.run == queued.run, let parent = report.parent { print(Self.header(report, parent)) }
                    if json { print(try JSONCoding.text(report)) } else { print(Self.describe(report)) }
                    switch report.state {
                    case .promoted: return
                    case .rejected: throw ExitCode(2)
                    default: throw ExitCode.failure
                    }
                }
                // A run is shown once it has read its corrections and replay (before, it has no base).
                if !json && report.run == queued.run && report.state == .running, let parent = report.parent, report.epoch != shownEpoch {
                    if shownEpoch < 0 { print(Self.header(report, parent)) }
                    shownEpoch = report.epoch
                    if shownEpoch > 0 { print("fine-tune #\(report.run): epoch \(report.epoch)/\(report.epochs)") }
                }
                usleep(200_000)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let failure as DigitdError {
            throw failure
        } catch {
            throw DigitdError("\(error)")
        }
    }

    /// What the run learns from and from which model: its first line.
    static func header(_ report: FineTuneReport, _ parent: String) -> String {
        "fine-tune #\(report.run): \(report.corrections) corrections (\(report.newCorrections) new), "
            + "replay from \(report.replayPool ?? 0) images, judged on \(report.general ?? "-"); training from \(parent)"
    }

    static func describe(_ report: FineTuneReport) -> String {
        var lines: [String] = []
        let verdict = report.state == .failed ? "failed" : "\(report.state.rawValue) \(report.version ?? "")"
        lines.append("fine-tune #\(report.run): \(verdict)" + (report.reason.map { ": \($0)" } ?? ""))
        if let before = report.before, let after = report.after {
            var heldOut = String(format: "  held-out corrections (%d): %.1f%% -> %.1f%% right", report.heldOut, 100 * before.heldOut, 100 * after.heldOut)
            if let lossBefore = before.heldOutLoss, let lossAfter = after.heldOutLoss {
                heldOut += String(format: ", log-loss %.3f -> %.3f", lossBefore, lossAfter)
            }
            lines.append(heldOut)
            lines.append(String(format: "  %@: %.2f%% -> %.2f%%", report.general ?? "general", 100 * before.general, 100 * after.general)
                + (report.base.map { String(format: " (base model: %.2f%%)", 100 * $0.general) } ?? ""))
            lines.append(String(format: "  trained on %d corrections + %d replay in %.1f s", report.trained, report.replay, report.seconds ?? 0))
        }
        for problem in report.problems { lines.append("  skipped \(problem)") }
        return lines.joined(separator: "\n")
    }
}
