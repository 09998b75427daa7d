import Imaging

/// The ink's mass, center of mass and (at `threshold` and above) bounding box in a normalized scan.
struct Moments {
    var mass = 0.0, x = 0.0, y = 0.0
    var minX = 28, minY = 28, maxX = -1, maxY = -1

    init(_ scan: NormalizedScan, threshold: Float = 0.5) {
        for y in 0..<28 {
            for x in 0..<28 {
                let v = scan.pixels[y * 28 + x]
                mass += Double(v); self.x += Double(v) * Double(x); self.y += Double(v) * Double(y)
                if v >= threshold { minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y) }
            }
        }
        x /= mass; y /= mass
    }

    var boxWidth: Int { maxX - minX + 1 }
    var boxHeight: Int { maxY - minY + 1 }
}
