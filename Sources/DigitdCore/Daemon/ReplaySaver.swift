import Logging
import ServiceLifecycle

/// Saves the replay reservoir every `interval`, and once more when it stops.
/// First in the group, so it stops last: its final save follows the drained
/// pipeline and the stopped fine-tune.
struct ReplaySaver: Service {
    let reservoir: ReplayReservoir
    let path: String
    let logger: Logger
    var interval: Duration = .seconds(300)

    func run() async throws {
        while true {
            do { try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) } } catch { break }
            save()
        }
        save()
    }

    private func save() {
        do { try reservoir.save(to: path) } catch {
            logger.error("cannot save the replay reservoir: \(error)")
        }
    }
}
