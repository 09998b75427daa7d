import ArgumentParser
import DigitdCore
import Foundation
import Logging

@main
struct Digitd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digitd",
        abstract: "Watch an inbox of handwritten-digit scans, classify them, write CSV results."
    )

    @Option(help: "Config file (TOML). Default: /etc/digitd/digitd.toml when it exists.")
    var config: String?

    @Option(help: "Runtime root folder (inbox/, done/, results/, ...). Overrides the config's root.")
    var root: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. Overrides the config.")
    var logLevel: String?

    func run() async throws {
        let configPath = config ?? (FileManager.default.fileExists(atPath: "/etc/digitd/digitd.toml") ? "/etc/digitd/digitd.toml" : nil)
        var settings: DaemonConfig
        do {
            settings = try DaemonConfig.load(path: configPath, root: root.map { URL(fileURLWithPath: $0).path })
        } catch {
            throw ValidationError("\(error)")
        }
        if let logLevel { settings.logLevel = logLevel }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
        let logger = Logger(label: "digitd")
        do {
            let daemon = try Daemon(config: settings, configPath: configPath, rootOverride: root, logger: logger)
            try await daemon.run()
        } catch {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
    }
}
