import Foundation
import ServiceLifecycle

/// A blocking loop as a Service: `loop` runs on a thread of its own until
/// graceful shutdown or cancellation, which call `stop`; the service returns
/// once the loop has. Cancellation (another service failed, e.g.
/// metrics.listen could not bind) stops it the same way: the thread would
/// otherwise keep the process alive, deaf to SIGTERM.
struct ThreadService: Service {
    let name: String
    let loop: @Sendable () -> Void
    let stop: @Sendable () -> Void
    /// Called once the thread runs.
    var started: @Sendable () -> Void = {}

    func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    loop()
                    done.resume()
                }
                thread.name = name
                thread.start()
                started()
            }
        } onCancelOrGracefulShutdown: {
            stop()
        }
    }
}
