import ArgumentParser
import DigitdCore
import Foundation

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The model versions fine-tuning made, with their gate figures; * marks the current one."
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let contents: ModelRegistry.Contents
        do {
            contents = try daemon.control().models()
        } catch let failure as DigitdError {
            throw failure
        } catch {
            throw DigitdError("\(error)")
        }
        if json {
            print(try JSONCoding.text(contents))
            return
        }
        print("\(contents.current == nil ? "*" : " ") base      the configured or shipped model")
        for version in contents.versions {
            let mark = version.version == contents.current ? "*" : " "
            let figures = String(format: "held-out %5.1f%% -> %5.1f%%, general %6.2f%% -> %6.2f%%",
                                 100 * version.before.heldOut, 100 * version.after.heldOut,
                                 100 * version.before.general, 100 * version.after.general)
            let file = version.fileKept ? "" : " (file pruned)"
            print("\(mark) \(version.version.padding(toLength: 8, withPad: " ", startingAt: 0)) \(version.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                  + "\(version.createdAt.formatted(.iso8601))  from \(version.parent), \(version.corrections) corrections; \(figures)\(file)"
                  + (version.reason.map { "\n             \($0)" } ?? ""))
        }
    }
}

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve an earlier model version (default: the one before the current); `base` for the original model."
    )

    @Argument(help: "A version from `digitctl models` (v3), or base.")
    var version: String?

    @OptionGroup var daemon: DaemonOptions

    func run() throws {
        do {
            let result = try daemon.control().rollback(RollbackRequest(version: version))
            print(result.servedNow ? "now serving \(result.model) (\(result.current ?? "base"))"
                                   : "current: \(result.current ?? "base"), \(result.model) (digitd serves it when it starts)")
        } catch let failure as DigitdError {
            throw failure
        } catch {
            throw DigitdError("\(error)")
        }
    }
}
