import ArgumentParser
import DigitdCore
import Foundation

/// How every command finds digitd and its state: --root DIR (as digitd's),
/// --socket PATH, or the config; by default the systemd root /var/lib/digitd.
struct DaemonOptions: ParsableArguments {
    @Option(help: "digitd's runtime root (default: the config's, else /var/lib/digitd).")
    var root: String?

    @Option(help: "Control socket (default: ROOT/digitd.sock).")
    var socket: String?

    @Option(help: "digitd config file (default: /etc/digitd/digitd.toml when it exists).")
    var config: String?

    func load() throws -> DaemonConfig {
        let path = config ?? (FileManager.default.fileExists(atPath: "/etc/digitd/digitd.toml") ? "/etc/digitd/digitd.toml" : nil)
        do {
            return try DaemonConfig.load(path: path, root: root.map { URL(fileURLWithPath: $0).path })
        } catch {
            throw DigitdError("\(error)")
        }
    }

    /// The running digitd, else its folders (DaemonConfig.control).
    func control() throws -> any DigitdControl {
        try load().control(socket: socket)
    }
}
