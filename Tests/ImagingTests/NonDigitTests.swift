import Imaging
import NeuralNetwork
import ScanKinds
import TestSupport
import Testing

/// The marks that are not digits, and the training examples made of scans: each kind draws ink
/// the normalizer finds, the same every time, and training sees what the daemon would.
@Suite(.enabled(if: MNIST.available, MNIST.absent)) struct NonDigitTests {
    static let digits = try! MNIST.load("t10k", limit: 50)

    @Test(arguments: NonDigit.allCases) func everyKindDrawsInkAScanOfItKeeps(_ kind: NonDigit) throws {
        var blank = 0
        for i in 0..<40 {
            var rng = SeededRandom(seed: 5, UInt64(i))
            let mark = kind.render(digits: Self.digits, rng: &rng)
            #expect(mark.pixels.contains { $0 > 200 }, "\(kind) \(i): no ink")
            var again = SeededRandom(seed: 5, UInt64(i))
            #expect(kind.render(digits: Self.digits, rng: &again) == mark, "\(kind) \(i): not the same twice")
            let scan = ScanKind.clean.render(mark, rng: &rng)
            if try ScanNormalizer().normalize(scan).isBlank { blank += 1 }
        }
        // A fragment can be a speck the normalizer rightly calls blank; nothing else.
        #expect(blank <= (kind == .fragments ? 4 : 0), "\(kind): \(blank) of 40 scans blank")
    }

    @Test func theSuiteNeverHoldsWhatTrainingIsTaught() {
        #expect(!NonDigit.suite.contains(.taughtScripts))
        #expect(!NonDigit.taught.contains(.otherScripts) && !NonDigit.taught.contains(.digitLikeLetters) && !NonDigit.taught.contains(.fragments))
    }

    @Test func trainingExamplesAreScansOrDigitsAndNonDigitsAreLabelledSo() {
        let set = ScanTrainingSet(digits: Self.digits, negatives: 20, scannedShare: 0.5, augmentation: nil, seed: 9)
        #expect(set.count == 70)
        var first = [Float](repeating: 0, count: 784), second = first
        var scanned = 0
        for index in 0..<set.count {
            let label = set.write(index, epoch: 1, to: &first)
            #expect(set.write(index, epoch: 1, to: &second) == label)
            #expect(first == second, "example \(index) differs between two writes")
            #expect(first.allSatisfy { $0 >= 0 && $0 <= 1 } && first.contains { $0 > 0.5 }, "example \(index)")
            if index < Self.digits.count {
                #expect(label == Int32(Self.digits.labels[index]))
                let plain = Self.digits.image(index).pixels.map { Float($0) / 255 }
                if first != plain { scanned += 1 }
            } else {
                #expect(label == notADigit)
            }
        }
        // About half the digits come as scans (50 draws at 0.5: 13...37 is beyond 3.5 sigma).
        #expect((13...37).contains(scanned), "\(scanned) of 50 digits scanned")
    }
}
