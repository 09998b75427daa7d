import Imaging
import NeuralNetwork
import ScanKinds
import TestSupport
import Testing

/// Each kind of scan is what its name says, and the normalizer still finds one digit in it.
@Suite(.enabled(if: MNIST.available, MNIST.absent)) struct ScanKindTests {
    static let digits = try! MNIST.load("t10k", limit: 20)

    @Test(arguments: ScanKind.allCases) func everyKindIsAScanOfOneDigit(_ kind: ScanKind) throws {
        var rng = SeededRandom(seed: 3)
        for i in 0..<Self.digits.count {
            let scan = kind.render(Self.digits.image(i), rng: &rng)
            #expect(scan.width >= 64 && scan.height >= 64)
            // Dark ink on light paper: the border is paper.
            #expect(scan[0, 0] > 200 && scan[scan.width - 1, scan.height - 1] > 200)
            let normalized = try ScanNormalizer().normalize(scan)
            #expect(!normalized.isBlank, "\(kind) \(i)")
        }
    }

    @Test func oneBitKindsHaveTwoLevelsAndStretchedOnesFillTheirBox() throws {
        var rng = SeededRandom(seed: 3)
        let one = Self.digits.image(0)
        for kind in [ScanKind.bits32, .bits16Stretched] {
            let scan = kind.render(one, rng: &rng)
            // Noise of 3 levels around paper (235) and ink (35), nothing in between.
            #expect(scan.pixels.allSatisfy { $0 > 200 || $0 < 70 }, "\(kind)")
        }
        // Stretched: the ink spans the 16x16 box (64 px at 4x) in both directions.
        let stretched = ScanKind.bits16Stretched.render(one, rng: &rng)
        var xs: [Int] = [], ys: [Int] = []
        for y in 0..<stretched.height {
            for x in 0..<stretched.width where stretched[x, y] < 128 { xs.append(x); ys.append(y) }
        }
        let width = xs.max()! - xs.min()! + 1, height = ys.max()! - ys.min()! + 1
        #expect(width >= 60 && height >= 60, "\(width)x\(height)")
    }

    @Test func thickAndThinPensChangeTheInk() {
        var rng = SeededRandom(seed: 3)
        func ink(_ kind: ScanKind) -> Int { kind.render(Self.digits.image(1), rng: &rng).pixels.count { $0 < 128 } }
        let clean = ink(.clean)
        #expect(ink(.thickPen) > clean * 3 / 2)
        #expect(ink(.thinPen) < clean * 3 / 4)
    }
}
