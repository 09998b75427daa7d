@testable import Imaging
import Testing

/// What every normalized scan must satisfy, whatever the input: 784 values in
/// [0, 1]; the ink in the box (the main ink) all there, scaled; no ink invented;
/// and the center of mass on (14, 14) along each axis where the ink does not
/// touch the canvas edge (only there can the placement have had to give way).
enum NormalizedScanInvariants {
    static func expectHeld(by scan: NormalizedScan, from image: GrayImage, normalizer: ScanNormalizer,
                           _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(scan.pixels.count == NormalizedScan.side * NormalizedScan.side, "\(context)", sourceLocation: sourceLocation)
        #expect(scan.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(context)", sourceLocation: sourceLocation)
        guard let box = scan.inkBox else {
            #expect(scan.pixels.allSatisfy { $0 == 0 }, "blank but inked: \(context)", sourceLocation: sourceLocation)
            return
        }
        // The ink as the normalizer measured it, specks removed.
        guard let levels = InkLevels(image, polarity: scan.polarity) else {
            Issue.record("inked scan without ink levels: \(context)", sourceLocation: sourceLocation)
            return
        }
        var ink = levels.inkMap(image, polarity: scan.polarity)
        #expect(normalizer.keepMainInk(&ink, width: image.width, height: image.height) == box, "\(context)",
                sourceLocation: sourceLocation)
        var inBox = 0.0, total = 0.0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let v = Double(ink[y * image.width + x])
                total += v
                if (box.x..<(box.x + box.width)).contains(x) && (box.y..<(box.y + box.height)).contains(y) { inBox += v }
            }
        }
        // Area averaging keeps mass: each source pixel becomes scale² of output ink.
        let scale = Double(normalizer.fitSide) / Double(max(box.width, box.height))
        let mass = scan.pixels.reduce(0.0) { $0 + Double($1) }
        #expect(mass >= inBox * scale * scale * 0.999 - 1e-3,
                "main ink cut off: \(mass) of \(inBox * scale * scale), box \(box): \(context)", sourceLocation: sourceLocation)
        #expect(mass <= total * scale * scale * 1.001 + 1e-3,
                "ink invented: \(mass) from \(total * scale * scale): \(context)", sourceLocation: sourceLocation)

        let moments = Moments(scan, threshold: .leastNonzeroMagnitude)
        let last = NormalizedScan.side - 1
        if moments.minX > 0 && moments.maxX < last {
            #expect(abs(moments.x - 14) <= 0.501, "center of mass x \(moments.x): \(context)", sourceLocation: sourceLocation)
        }
        if moments.minY > 0 && moments.maxY < last {
            #expect(abs(moments.y - 14) <= 0.501, "center of mass y \(moments.y): \(context)", sourceLocation: sourceLocation)
        }
    }
}
