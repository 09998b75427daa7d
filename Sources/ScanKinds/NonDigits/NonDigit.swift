import Foundation
import Imaging
import NeuralNetwork

/// A kind of mark that is not a digit, drawn MNIST-style (28x28, 255 = ink) so that it becomes
/// a scan the way a digit does: letters and other scripts' characters from pen-stroke models
/// (StrokeGlyphs), characters made up of random strokes, scribbles, crossed-out digits, two
/// digits in one box, fragments of digits. The negatives of the robustness suite, and (those in
/// `taught`) of training, where their target is "no digit more likely than another".
public enum NonDigit: String, CaseIterable, Sendable {
    /// Latin letters that are not written like a digit.
    case latinLetters = "not-latin-letters"
    /// Latin letters written much like a digit (O, l, S, Z...): in the suite, never taught.
    case digitLikeLetters = "not-digit-like-letters"
    /// Greek, Cyrillic and other scripts' characters and symbols that training never saw.
    case otherScripts = "not-other-scripts"
    /// Greek, Cyrillic and other scripts' characters and symbols that training sees.
    case taughtScripts = "not-taught-scripts"
    /// Two to four random strokes: a character of no script in particular.
    case inventedCharacters = "not-invented-characters"
    case scribbles = "not-scribbles"
    /// A digit struck through with a cross, hatching or a scribble.
    case crossedOut = "not-crossed-out"
    case twoDigits = "not-two-digits"
    /// Part of a digit: half of one may well look like another digit, so never taught.
    case fragments = "not-fragments"

    /// What training teaches to be no digit.
    public static let taught: [NonDigit] = [.latinLetters, .taughtScripts, .inventedCharacters, .scribbles, .crossedOut, .twoDigits]
    /// What the suite writes: everything but the scripts training sees.
    public static let suite: [NonDigit] = allCases.filter { $0 != .taughtScripts }

    /// One such mark; `digits` gives the digits to cross out, pair or cut.
    public func render(digits: LabeledImages, rng: inout SeededRandom) -> GrayImage {
        switch self {
        case .latinLetters, .digitLikeLetters, .otherScripts, .taughtScripts:
            let glyphs = Self.glyphs[self]!
            return Self.draw(glyph: glyphs[Int(rng.next() % UInt64(glyphs.count))].strokes, rng: &rng)
        case .inventedCharacters:
            return Self.draw(glyph: Self.inventedStrokes(rng: &rng), rng: &rng)
        case .scribbles:
            let points = (0..<(8 + Int(rng.next() % 9))).map { _ in PenDrawing.Point(x: Double(rng.unit()), y: Double(rng.unit())) }
            return Self.draw(glyph: [points], rng: &rng)
        case .crossedOut:
            return Self.crossedOut(Self.someDigit(digits, rng: &rng), rng: &rng)
        case .twoDigits:
            return Self.pair(Self.someDigit(digits, rng: &rng), Self.someDigit(digits, rng: &rng), rng: &rng)
        case .fragments:
            return Self.fragment(Self.someDigit(digits, rng: &rng), rng: &rng)
        }
    }

    // MARK: glyphs

    private static let glyphs: [NonDigit: [StrokeGlyphs.Parsed]] = {
        let parsed = StrokeGlyphs.all.enumerated().map { ($0.offset, StrokeGlyphs.Parsed($0.element)) }
        // Every fourth glyph of the other scripts is kept from training, so that the suite
        // measures characters it never saw.
        func scripts(heldOut: Bool) -> [StrokeGlyphs.Parsed] {
            parsed.filter { $0.1.glyph.script != .latin && !$0.1.glyph.looksLikeDigit && ($0.0 % 4 == 3) == heldOut }.map(\.1)
        }
        return [
            .latinLetters: parsed.map(\.1).filter { $0.glyph.script == .latin && !$0.glyph.looksLikeDigit },
            .digitLikeLetters: parsed.map(\.1).filter { $0.glyph.looksLikeDigit },
            .otherScripts: scripts(heldOut: true),
            .taughtScripts: scripts(heldOut: false),
        ]
    }()

    /// Strokes in the unit box drawn as a person would: the box 16-21 px tall, its width a
    /// random share of that, slanted, each point a little off, with a pen 1.6-3.4 px wide.
    private static func draw(glyph strokes: [[PenDrawing.Point]], rng: inout SeededRandom) -> GrayImage {
        var pen = PenDrawing(width: 28, height: 28, radius: Double(rng.uniform(0.8, 1.7)))
        let height = Double(rng.uniform(16, 21)), width = height * Double(rng.uniform(0.7, 1.05))
        let slant = Double(rng.uniform(-0.3, 0.3)), angle = Double(rng.uniform(-0.15, 0.15))
        for stroke in strokes {
            pen.stroke(stroke.map { point in
                let u = point.x + Double(rng.normal()) * 0.025 - 0.5, v = point.y + Double(rng.normal()) * 0.025 - 0.5
                let x = u * width - slant * v * height, y = v * height
                return PenDrawing.Point(x: 14 + x * cos(angle) - y * sin(angle), y: 14 + x * sin(angle) + y * cos(angle))
            })
        }
        return pen.image
    }

    /// Two to four strokes (lines, arcs, hooks, dots) long enough together not to be one mark.
    private static func inventedStrokes(rng: inout SeededRandom) -> [[PenDrawing.Point]] {
        func point() -> PenDrawing.Point { PenDrawing.Point(x: Double(rng.unit()), y: Double(rng.unit())) }
        var strokes: [[PenDrawing.Point]] = []
        var length = 0.0
        while strokes.count < 2 || (length < 2.2 && strokes.count < 4) {
            let stroke: [PenDrawing.Point]
            switch rng.next() % 7 {
            case 0, 1: stroke = [point(), point()]
            case 2, 3:
                let center = point(), radius = Double(rng.uniform(0.15, 0.45))
                let start = Double(rng.uniform(0, 2 * .pi)), sweep = Double(rng.uniform(1.2, 4.5))
                stroke = (0...8).map { k in
                    let a = start + sweep * Double(k) / 8
                    return PenDrawing.Point(x: center.x + radius * cos(a), y: center.y + radius * sin(a))
                }
            case 4, 5: stroke = [point(), point(), point()]
            default: stroke = [point()]
            }
            length += zip(stroke, stroke.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            strokes.append(stroke)
        }
        return strokes
    }

    // MARK: made of digits

    private static func someDigit(_ digits: LabeledImages, rng: inout SeededRandom) -> GrayImage {
        digits.image(Int(rng.next() % UInt64(digits.count)))
    }

    /// A cross (never a single slash: a slashed zero is a zero), hatching, or a scribble over it.
    private static func crossedOut(_ digit: GrayImage, rng: inout SeededRandom) -> GrayImage {
        var pen = PenDrawing(width: 28, height: 28, radius: Double(rng.uniform(0.8, 1.5)))
        pen.image = digit
        func jitter(_ v: Double) -> Double { v + Double(rng.uniform(-2, 2)) }
        switch rng.next() % 3 {
        case 0:
            pen.segment(.init(x: jitter(5), y: jitter(5)), .init(x: jitter(23), y: jitter(23)))
            pen.segment(.init(x: jitter(23), y: jitter(5)), .init(x: jitter(5), y: jitter(23)))
        case 1:
            let lines = 3 + Int(rng.next() % 3), rise = Double(rng.uniform(6, 14))
            for k in 0..<lines {
                let y = 6 + Double(k) * 16 / Double(lines - 1)
                pen.segment(.init(x: jitter(4), y: y + rise / 2), .init(x: jitter(24), y: y - rise / 2))
            }
        default:
            pen.stroke((0..<10).map { _ in PenDrawing.Point(x: Double(rng.uniform(4, 24)), y: Double(rng.uniform(4, 24))) })
        }
        return pen.image
    }

    /// Two digits side by side in one box, a little apart or touching.
    private static func pair(_ left: GrayImage, _ right: GrayImage, rng: inout SeededRandom) -> GrayImage {
        guard let a = left.inkBox(), let b = right.inkBox() else { return left }
        let gap = Int(rng.next() % 5) - 1
        let width = a.width + b.width + max(gap, 0) + 8, height = max(a.height, b.height) + 8
        var out = GrayImage(width: width, height: height, fill: 0)
        for (image, box, left) in [(left, a, 4), (right, b, 4 + a.width + gap)] {
            let top = (height - box.height) / 2
            for y in 0..<box.height {
                for x in 0..<box.width where left + x < width {
                    out[left + x, top + y] = max(out[left + x, top + y], image[box.x + x, box.y + y])
                }
            }
        }
        return out
    }

    /// The left, right, top or bottom 40-60% of the digit's ink.
    private static func fragment(_ digit: GrayImage, rng: inout SeededRandom) -> GrayImage {
        guard let box = digit.inkBox() else { return digit }
        let share = Double(rng.uniform(0.4, 0.6))
        var out = digit
        let side = rng.next() % 4
        for y in 0..<28 {
            for x in 0..<28 {
                let keep = switch side {
                case 0: Double(x - box.x) < share * Double(box.width)
                case 1: Double(box.x + box.width - x) < share * Double(box.width)
                case 2: Double(y - box.y) < share * Double(box.height)
                default: Double(box.y + box.height - y) < share * Double(box.height)
                }
                if !keep { out[x, y] = 0 }
            }
        }
        return out
    }
}
