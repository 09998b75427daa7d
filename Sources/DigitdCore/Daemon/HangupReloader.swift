import ServiceLifecycle
import UnixSignals

/// Re-reads the configuration at every SIGHUP, until shutdown.
struct HangupReloader: Service {
    let reload: @Sendable () -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() { reload() }
    }
}
