import ArgumentParser
import Foundation
import Imaging

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the network will see: write each scan's normalized 28x28 image as a PNG."
    )

    @Argument(help: "PNG or JPEG scans.")
    var files: [String]

    @Option(help: "Folder for the 28x28 PNGs (created if missing).")
    var out: String

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let decoder = ImageDecoder()
        let normalizer = ScanNormalizer()
        var failures = 0
        for file in files {
            let name = (file as NSString).lastPathComponent
            do {
                let decoded = try decoder.decode(contentsOf: file)
                let scan = try normalizer.normalize(decoded.image)
                let target = (out as NSString).appendingPathComponent((name as NSString).deletingPathExtension + ".png")
                let png = try PNGEncoder.encode(GrayImage(width: 28, height: 28, pixels: scan.bytes))
                try Data(png).write(to: URL(fileURLWithPath: target), options: .atomic)
                var line = "\(name): \(decoded.storedWidth)x\(decoded.storedHeight) \(decoded.format)"
                if decoded.scaleDenominator > 1 { line += " (decoded at 1/\(decoded.scaleDenominator))" }
                if decoded.orientation != 1 { line += " (EXIF orientation \(decoded.orientation))" }
                line += ", \(scan.polarity.rawValue)"
                line += scan.inkBox.map { ", ink \($0)" } ?? ", blank"
                print(line + " -> \(target)")
            } catch {
                failures += 1
                print("\(name): error: \(error)")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
