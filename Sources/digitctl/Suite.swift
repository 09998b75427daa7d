import ArgumentParser
import DigitdCore
import ScanKinds

struct Suite: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the robustness suite: MNIST test digits rendered as other kinds of scans, one labelled folder per kind.",
        discussion: """
        OUT/<kind>/<digit>/<index>.png for each kind (\(ScanKind.allCases.map(\.rawValue).joined(separator: ", "))), \
        and as many marks that are not digits of each of \(NonDigit.suite.map(\.rawValue).joined(separator: ", ")) in \
        OUT/<kind>/not-a-digit/<index>.png, rendered as the kinds of scan in turn. Measure a model on them with \
        `digitctl eval --scans OUT`.
        """
    )

    @Option(help: "Folder with MNIST's t10k images and labels.")
    var mnist: String

    @Option(help: "Folder to write the suite into.")
    var out: String

    @Option(help: "Digits per kind, drawn evenly from the test images in --range (1-10000).")
    var count = 2000

    @Option(help: "Test images to draw from, FIRST-LAST (0-9999): keep the digits a model is calibrated on apart from those it is measured on.")
    var range = "0-9999"

    @Option(help: "Kinds to write, comma-separated (default: all).")
    var kinds: String?

    @Flag(help: "Write no marks that are not digits.")
    var noNegatives = false

    @Option(help: "Seed of the scanner noise.")
    var seed: UInt64 = 1

    func validate() throws {
        let (first, last) = try bounds()
        guard (1...(last - first + 1)).contains(count) else { throw ValidationError("--count must be 1-\(last - first + 1)") }
        _ = try chosenKinds()
    }

    func run() throws {
        let (first, last) = try bounds()
        let span = last - first + 1
        let images = try MNISTFolder(mnist).load("t10k").subset((0..<count).map { first + $0 * span / count })
        let chosen = try chosenKinds()
        let nonDigits = noNegatives ? [] : NonDigit.suite
        try RobustnessSuite.write(images, kinds: chosen, nonDigits: nonDigits, to: out, seed: seed)
        print("wrote \(images.count) scans of each of \((chosen.map(\.rawValue) + nonDigits.map(\.rawValue)).joined(separator: ", ")) to \(out)/")
    }

    private func bounds() throws -> (Int, Int) {
        let parts = range.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 0, parts[0] <= parts[1], parts[1] <= 9999 else {
            throw ValidationError("--range must be FIRST-LAST within 0-9999, e.g. 0-4999")
        }
        return (parts[0], parts[1])
    }

    private func chosenKinds() throws -> [ScanKind] {
        guard let kinds else { return ScanKind.allCases }
        return try kinds.split(separator: ",").map { name in
            guard let kind = ScanKind(rawValue: String(name)) else {
                throw ValidationError("unknown kind \(name): one of \(ScanKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
    }
}
