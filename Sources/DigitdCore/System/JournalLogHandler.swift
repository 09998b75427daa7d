import Foundation
import Logging

/// One line per message on stderr. Under systemd (JOURNAL_STREAM set) each is
/// prefixed with its syslog priority (`<3>`), which journald turns into the
/// entry's level, and carries no timestamp (journald adds it); on a terminal
/// it reads `2026-11-23T19:36:52Z notice: ...`.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let toJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil

    public init(label: String, level: Logger.Level) {
        self.label = label
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // Newlines would split one message into several journal entries.
        let text = "\(event.message)\(extra)".replacingOccurrences(of: "\n", with: "\\n")
        let prefix = toJournal ? "<\(Self.priority(event.level))>" : "\(Date().formatted(.iso8601)) \(event.level): "
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
