/// What the control API's server asks of the running daemon: the contract,
/// and the metrics only the daemon has.
protocol DaemonControl: DigitdControl {
    /// Prometheus' text exposition format.
    func metrics() -> String
}

/// `fineTuneReport()` before the first run (404 on the socket).
struct NoFineTuneYet: Error, CustomStringConvertible {
    var description: String { "no fine-tune has run yet" }
}
