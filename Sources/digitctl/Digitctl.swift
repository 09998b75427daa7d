import ArgumentParser

@main
struct Digitctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digitctl",
        abstract: "Control and inspect digitd, the handwritten-digit inbox daemon.",
        subcommands: [Status.self, Relabel.self, FineTuneNow.self, Models.self, Rollback.self, Classify.self, Preview.self, Train.self, Eval.self, Suite.self, Calibrate.self, Anchor.self, Review.self]
    )
}
