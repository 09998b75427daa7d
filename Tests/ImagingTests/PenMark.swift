import Imaging

/// One mark on a page, for the normalizer's property and regression tests: a
/// pixel-aligned box (single pixels, 1xN, Nx1 and up), or a pen stroke from `a`
/// to `b` (a dot when they meet), hard-edged or anti-aliased, with or without a
/// light fringe around a hard edge, dark on light or light on dark.
struct PenMark: Sendable, CustomStringConvertible {
    enum Shape: Sendable {
        /// Pixels x..<x+width, y..<y+height.
        case box(x: Int, y: Int, width: Int, height: Int)
        /// Round-capped, `pen` px wide.
        case stroke(a: (Double, Double), b: (Double, Double), pen: Double)
    }

    var width: Int, height: Int
    var shape: Shape
    var antiAliased = false
    /// Ink amount (0-1) of the one-pixel ring around a hard edge; nil for none.
    var fringe: Double? = nil
    var polarity: Polarity = .darkOnLight
    /// The two levels: paper and ink for dark on light, ink and paper otherwise.
    var light: Double = 240
    var dark: Double = 20

    var description: String {
        let edge = antiAliased ? "anti-aliased" : fringe.map { "fringe \($0)" } ?? "hard"
        return "\(shape) on \(width)x\(height), \(edge), \(polarity.rawValue), \(light)/\(dark)"
    }

    /// Distance from a pixel center to the shape itself (0 inside a box), and how
    /// far from it the shape's own ink reaches.
    private func distance(_ px: Double, _ py: Double) -> (distance: Double, reach: Double) {
        switch shape {
        case .box(let x, let y, let w, let h):
            let dx = max(Double(x) + 0.5 - px, 0, px - (Double(x + w) - 0.5))
            let dy = max(Double(y) + 0.5 - py, 0, py - (Double(y + h) - 0.5))
            return ((dx * dx + dy * dy).squareRoot(), 0)
        case .stroke(let a, let b, let pen):
            let dx = b.0 - a.0, dy = b.1 - a.1
            let t = max(0, min(1, ((px - a.0) * dx + (py - a.1) * dy) / max(dx * dx + dy * dy, 1e-12)))
            let ex = px - a.0 - t * dx, ey = py - a.1 - t * dy
            return ((ex * ex + ey * ey).squareRoot(), pen / 2)
        }
    }

    /// How much ink (0-1) covers pixel (x, y).
    func coverage(_ x: Int, _ y: Int) -> Double {
        let (d, reach) = distance(Double(x) + 0.5, Double(y) + 0.5)
        if antiAliased { return max(0, min(1, reach + 0.5 - d)) }
        if d <= reach { return 1 }
        // Within 1.5 px: the eight neighbours of a box's edge pixels.
        return d <= reach + 1.5 ? fringe ?? 0 : 0
    }

    var image: GrayImage {
        var image = GrayImage(width: width, height: height, fill: 0)
        let (background, foreground) = polarity == .darkOnLight ? (light, dark) : (dark, light)
        for y in 0..<height {
            for x in 0..<width {
                let level = background + (foreground - background) * coverage(x, y)
                image[x, y] = UInt8(level.rounded())
            }
        }
        return image
    }

    /// Two levels and one connected piece: a hard box, or a hard stroke at
    /// least a pixel wide.
    var isSolid: Bool {
        guard !antiAliased, fringe == nil else { return false }
        if case .stroke(_, _, let pen) = shape { return pen >= 1 }
        return true
    }

    /// True when no pixel of the image border carries ink.
    var clearOfBorder: Bool {
        let columns = [0, width - 1], rows = [0, height - 1]
        return (0..<width).allSatisfy { x in rows.allSatisfy { coverage(x, $0) == 0 } }
            && (0..<height).allSatisfy { y in columns.allSatisfy { coverage($0, y) == 0 } }
    }

    /// The bounding box of the fully inked pixels, nil when there are none.
    var coreBox: InkBox? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where coverage(x, y) >= 1 {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : InkBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }
}
