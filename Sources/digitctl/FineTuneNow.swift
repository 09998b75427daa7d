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
                    if !json && shownEpoch < 0 && report.run == queued.run, let parent = report.parent { print(report.headline(parent)) }
                    if json { print(try JSONCoding.text(report)) } else { print(report.verdict) }
                    switch report.state {
                    case .promoted: return
                    case .rejected: throw ExitCode(2)
                    default: throw ExitCode.failure
                    }
                }
                // A run is shown once it has read its corrections and replay (before, it has no base).
                if !json && report.run == queued.run && report.state == .running, let parent = report.parent, report.epoch != shownEpoch {
                    if shownEpoch < 0 { print(report.headline(parent)) }
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
}
