import Foundation
import Imaging

/// A pen on an MNIST-style canvas (255 = ink, 0 = background): the strokes of the non-digit
/// negatives. Ink is anti-aliased by the distance of each pixel's center to the pen's path.
struct PenDrawing {
    var image: GrayImage
    /// Half the pen's width, in pixels.
    var radius: Double

    init(width: Int, height: Int, radius: Double) {
        image = GrayImage(width: width, height: height, fill: 0)
        self.radius = radius
    }

    /// A smooth curve through `points` (uniform Catmull-Rom), or a dot for one point.
    mutating func stroke(_ points: [Point]) {
        guard let first = points.first else { return }
        guard points.count > 1 else { return segment(first, first) }
        var previous = first
        for i in 0..<(points.count - 1) {
            let p0 = points[max(i - 1, 0)], p1 = points[i], p2 = points[i + 1], p3 = points[min(i + 2, points.count - 1)]
            let steps = max(2, Int((p1.distance(to: p2) / 1.5).rounded(.up)))
            for s in 1...steps {
                let t = Double(s) / Double(steps)
                let next = Point.catmullRom(p0, p1, p2, p3, t)
                segment(previous, next)
                previous = next
            }
        }
    }

    /// The straight stroke from `a` to `b`.
    mutating func segment(_ a: Point, _ b: Point) {
        let reach = radius + 1
        let x0 = max(0, Int((min(a.x, b.x) - reach).rounded(.down))), x1 = min(image.width - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
        let y0 = max(0, Int((min(a.y, b.y) - reach).rounded(.down))), y1 = min(image.height - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let length2 = dx * dx + dy * dy
        for y in y0...y1 {
            for x in x0...x1 {
                let (px, py) = (Double(x) + 0.5, Double(y) + 0.5)
                let t = length2 > 0 ? min(1, max(0, ((px - a.x) * dx + (py - a.y) * dy) / length2)) : 0
                let (ex, ey) = (px - a.x - t * dx, py - a.y - t * dy)
                let coverage = min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot()))
                let value = UInt8((coverage * 255).rounded())
                if value > image[x, y] { image[x, y] = value }
            }
        }
    }

    struct Point: Sendable {
        var x: Double, y: Double

        func distance(to other: Point) -> Double { ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot() }

        static func catmullRom(_ p0: Point, _ p1: Point, _ p2: Point, _ p3: Point, _ t: Double) -> Point {
            func blend(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
                0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t * t + (3 * b - a - 3 * c + d) * t * t * t)
            }
            return Point(x: blend(p0.x, p1.x, p2.x, p3.x), y: blend(p0.y, p1.y, p2.y, p3.y))
        }
    }
}
