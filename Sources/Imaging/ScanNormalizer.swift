/// Which way round the ink was in the scan.
public enum Polarity: String, Sendable {
    /// Dark ink on light paper: a scan. Inverted to match MNIST.
    case darkOnLight = "dark-on-light"
    /// Light ink on a dark background: MNIST's own convention.
    case lightOnDark = "light-on-dark"
}

/// The ink's bounding box in the decoded image's pixel coordinates.
public struct InkBox: Sendable, Equatable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// A scan as the network sees it: 28x28 floats, 0 = background, 1 = full ink.
public struct NormalizedScan: Sendable {
    public static let side = 28

    /// Row-major, `side * side` values in [0, 1].
    public var pixels: [Float]
    public var polarity: Polarity
    /// nil when no ink was found: the page is blank.
    public var inkBox: InkBox?

    public var isBlank: Bool { inkBox == nil }

    /// The pixels as 8-bit gray, 255 = ink (as MNIST stores them).
    public var bytes: [UInt8] { pixels.map { UInt8(($0 * 255).rounded()) } }
}

/// Does to a scan what MNIST did to its digits: ink made light on black, the
/// paper removed, the ink's bounding box scaled to fit `fitSide` (aspect kept,
/// area-averaged), and placed in 28x28 with its center of mass at the center.
public struct ScanNormalizer: Sendable {
    /// The longest side of the ink after scaling (MNIST: 20).
    public var fitSide: Int
    /// Ink must differ from the paper by at least this (0-255) or the page is blank.
    public var minContrast: Int
    /// Ink pieces with less than this fraction of the largest piece's mass are
    /// specks (dust, scanner noise) and do not count towards the bounding box.
    public var minPieceFraction: Float
    /// Ink whose box is smaller than this fraction of the image's shorter side
    /// (and than 4 px) is a mark, not a digit: the page counts as blank.
    public var minInkExtent: Float

    public init(fitSide: Int = 20, minContrast: Int = 40, minPieceFraction: Float = 0.05, minInkExtent: Float = 0.04) {
        self.fitSide = fitSide
        self.minContrast = minContrast
        self.minPieceFraction = minPieceFraction
        self.minInkExtent = minInkExtent
    }

    /// `budget`: the CPU time normalizing may take (what the scan's decode left of
    /// it), checked after each pass over the image.
    public func normalize(_ image: GrayImage,
                          budget: WorkBudget = WorkBudget(seconds: DecodeLimits.default.workBudgetSeconds))
        throws(NormalizationError) -> NormalizedScan {
        try checkSettings()
        func checkBudget() throws(NormalizationError) {
            if budget.isSpent { throw .overBudget(seconds: budget.seconds) }
        }
        let histogram = Histogram(image.pixels)
        let polarity = Self.polarity(of: image, histogram: histogram)
        let blank = NormalizedScan(pixels: [Float](repeating: 0, count: 28 * 28), polarity: polarity, inkBox: nil)
        guard let levels = InkLevels(histogram: histogram, polarity: polarity), levels.contrast >= minContrast else { return blank }
        try checkBudget()
        var ink = levels.inkMap(image, polarity: polarity)
        try checkBudget()
        guard let box = keepMainInk(&ink, width: image.width, height: image.height) else { return blank }
        try checkBudget()
        let fitted = fit(ink, imageWidth: image.width, imageHeight: image.height, box: box)
        return NormalizedScan(pixels: try centered(fitted), polarity: polarity, inkBox: box)
    }

    /// The settings that would otherwise trap (a scale of zero, a canvas overflow,
    /// an infinite extent) are refused.
    func checkSettings() throws(NormalizationError) {
        let side = NormalizedScan.side
        guard (1...side).contains(fitSide) else {
            throw .invalidSettings("fitSide \(fitSide) is outside 1...\(side)")
        }
        guard minInkExtent >= 0 && minInkExtent <= 1 else {
            throw .invalidSettings("minInkExtent \(minInkExtent) is outside 0...1")
        }
    }

    // MARK: polarity

    /// The paper is what fills the image's border; when the border is mixed (ink
    /// touching the edges of a tight crop), it is what fills most of the image.
    static func polarity(of image: GrayImage) -> Polarity {
        polarity(of: image, histogram: Histogram(image.pixels))
    }

    /// The same, with `image`'s histogram already counted.
    static func polarity(of image: GrayImage, histogram: Histogram) -> Polarity {
        let split = histogram.otsuThreshold()
        var light = 0, border = 0
        image.forEachBorderPixel { value in
            border += 1
            if Int(value) > split { light += 1 }
        }
        let lightFraction = border > 0 ? Double(light) / Double(border) : 0.5
        if lightFraction > 0.6 { return .darkOnLight }
        if lightFraction < 0.4 { return .lightOnDark }
        return histogram.count(above: split) * 2 > image.pixels.count ? .darkOnLight : .lightOnDark
    }

    // MARK: ink pieces

    /// Zeroes the specks and returns the bounding box of what is left, or nil
    /// when no ink remains. The box is that of the half-ink contour, where a
    /// binary pen stroke's edge lies: MNIST fitted the stroke, not its fringe.
    func keepMainInk(_ ink: inout [Float], width: Int, height: Int) -> InkBox? {
        var pieces = InkPieces(ink, width: width, height: height)
        guard let largest = pieces.masses.max(), largest > 0 else { return nil }
        let keep = (0..<pieces.masses.count).map { pieces.masses[pieces.root($0)] >= largest * minPieceFraction }
        var minX = width, minY = height, maxX = -1, maxY = -1
        ink.withUnsafeMutableBufferPointer { ink in
            pieces.labels.withUnsafeBufferPointer { labels in
                for y in 0..<height {
                    for x in 0..<width {
                        let i = y * width + x
                        let label = Int(labels[i])
                        guard label >= 0 else { continue }
                        if !keep[label] {
                            ink[i] = 0
                        } else if ink[i] >= 0.5 {
                            minX = min(minX, x); maxX = max(maxX, x)
                            minY = min(minY, y); maxY = max(maxY, y)
                        }
                    }
                }
            }
        }
        guard maxX >= 0 else { return nil }
        let box = InkBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
        let smallest = max(4, Int((minInkExtent * Float(min(width, height))).rounded()))
        return max(box.width, box.height) >= smallest ? box : nil
    }

    // MARK: scaling

    /// The box scaled so its longer side is `fitSide`, by area averaging: each
    /// output pixel is the mean of the source area it covers.
    /// The fringe around the box comes along: the source pixels within
    /// ceil(1/scale) of it, but never more than two output pixels' worth, nor more
    /// than the canvas has room for around `fitSide`. Upscaled, a whole source pixel
    /// of fringe would become a `scale`-wide halo: wider than any anti-aliased edge,
    /// and around a small dot wider than the canvas.
    func fit(_ ink: [Float], imageWidth: Int, imageHeight: Int, box: InkBox) -> (pixels: [Float], width: Int, height: Int) {
        let scale = Double(fitSide) / Double(max(box.width, box.height))
        let room = Double(NormalizedScan.side - fitSide) / 2
        let fringe = min((1 / scale).rounded(.up), 2 / scale, room / scale)
        func weights(_ start: Int, _ length: Int, _ size: Int) -> AreaWeights {
            AreaWeights(from: max(Double(start) - fringe, 0), to: min(Double(start + length) + fringe, Double(size)),
                        scale: scale)
        }
        let columns = weights(box.x, box.width, imageWidth)
        let rows = weights(box.y, box.height, imageHeight)
        // Horizontal pass into a rows.span x columns.count buffer, then vertical.
        var across = [Float](repeating: 0, count: rows.span * columns.count)
        ink.withUnsafeBufferPointer { ink in
            for y in 0..<rows.span {
                let row = (rows.first + y) * imageWidth + columns.first
                for (o, taps) in columns.taps.enumerated() {
                    var sum: Float = 0
                    for tap in taps { sum += ink[row + tap.index] * tap.weight }
                    across[y * columns.count + o] = sum
                }
            }
        }
        var out = [Float](repeating: 0, count: rows.count * columns.count)
        for (o, taps) in rows.taps.enumerated() {
            for tap in taps {
                let src = tap.index * columns.count
                for x in 0..<columns.count { out[o * columns.count + x] += across[src + x] * tap.weight }
            }
        }
        return (out, columns.count, rows.count)
    }

    /// Placed in 28x28 so the center of mass falls on pixel (14, 14) (whole-pixel
    /// shift; MNIST's test digits average 14.0 in pixel-index coordinates), with
    /// all the ink kept inside the canvas.
    func centered(_ fitted: (pixels: [Float], width: Int, height: Int)) throws(NormalizationError) -> [Float] {
        let side = NormalizedScan.side
        var mass: Double = 0, sumX: Double = 0, sumY: Double = 0
        var minX = fitted.width, minY = fitted.height, maxX = -1, maxY = -1
        for y in 0..<fitted.height {
            for x in 0..<fitted.width {
                let v = Double(fitted.pixels[y * fitted.width + x])
                guard v > 0 else { continue }
                mass += v
                sumX += v * Double(x)
                sumY += v * Double(y)
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard mass > 0 else { return [Float](repeating: 0, count: side * side) }
        // Every offset below keeps the ink inside the canvas only while it is no wider than the canvas.
        guard maxX - minX < side && maxY - minY < side else {
            throw .inkLargerThanCanvas(width: maxX - minX + 1, height: maxY - minY + 1)
        }
        func offset(_ sum: Double, _ low: Int, _ high: Int) -> Int {
            let wanted = Int((Double(side / 2) - sum / mass).rounded())
            return min(max(wanted, -low), side - 1 - high)
        }
        let ox = offset(sumX, minX, maxX), oy = offset(sumY, minY, maxY)
        var canvas = [Float](repeating: 0, count: side * side)
        for y in minY...maxY {
            for x in minX...maxX {
                canvas[(oy + y) * side + ox + x] = min(1, fitted.pixels[y * fitted.width + x])
            }
        }
        return canvas
    }
}

// MARK: - pieces of the algorithm

/// A 256-bin histogram of 8-bit values.
struct Histogram {
    var bins = [Int](repeating: 0, count: 256)
    var total = 0

    init(_ values: [UInt8]) {
        // Four partial counts, so runs of one value (the paper) do not all wait
        // on the same counter; summed, they are the plain count.
        var partial = [Int](repeating: 0, count: 4 * 256)
        values.withUnsafeBufferPointer { values in
            partial.withUnsafeMutableBufferPointer { partial in
                let n = values.count, quads = n / 4
                for q in 0..<quads {
                    let i = 4 * q
                    partial[Int(values[i])] += 1
                    partial[256 + Int(values[i + 1])] += 1
                    partial[512 + Int(values[i + 2])] += 1
                    partial[768 + Int(values[i + 3])] += 1
                }
                for i in (4 * quads)..<n { partial[Int(values[i])] += 1 }
            }
        }
        for v in 0..<256 { bins[v] = partial[v] + partial[256 + v] + partial[512 + v] + partial[768 + v] }
        total = values.count
    }

    init(bins: [Int]) {
        self.bins = bins
        total = bins.reduce(0, +)
    }

    /// Otsu's threshold: values ≤ it form one class, values above the other,
    /// with the between-class variance as large as possible.
    func otsuThreshold() -> Int {
        let sumAll = bins.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) }
        var weightLow = 0.0, sumLow = 0.0, best = -1.0, threshold = 0
        for t in 0..<255 {
            weightLow += Double(bins[t])
            sumLow += Double(t * bins[t])
            let weightHigh = Double(total) - weightLow
            if weightLow == 0 || weightHigh == 0 { continue }
            let meanLow = sumLow / weightLow, meanHigh = (sumAll - sumLow) / weightHigh
            let between = weightLow * weightHigh * (meanLow - meanHigh) * (meanLow - meanHigh)
            if between > best { best = between; threshold = t }
        }
        return threshold
    }

    func count(above t: Int) -> Int { bins[(t + 1)...].reduce(0, +) }

    /// The median of the values in `range` (nil when there are none).
    func median(in range: ClosedRange<Int>) -> Int? {
        let n = bins[range].reduce(0, +)
        guard n > 0 else { return nil }
        var seen = 0
        for v in range {
            seen += bins[v]
            if seen * 2 >= n { return v }
        }
        return range.upperBound
    }
}

/// Paper and ink levels of a scan, in ink space (0 = no ink, 255 = darkest ink).
struct InkLevels {
    /// Typical paper level and its robust spread (MAD scaled to a σ).
    var paper: Int
    var noise: Double
    /// Typical ink level.
    var ink: Int

    var contrast: Int { ink - paper }

    init?(_ image: GrayImage, polarity: Polarity) {
        self.init(histogram: Histogram(image.pixels), polarity: polarity)
    }

    /// The same from the image's histogram.
    init?(histogram: Histogram, polarity: Polarity) {
        var histogram = histogram
        if polarity == .darkOnLight { histogram = Histogram(bins: histogram.bins.reversed()) }
        let split = histogram.otsuThreshold()
        guard let paper = histogram.median(in: 0...split),
              let ink = histogram.median(in: (split + 1)...255) else { return nil }
        var deviations = [Int](repeating: 0, count: 256)
        for v in 0...split { deviations[abs(v - paper)] += histogram.bins[v] }
        self.paper = paper
        self.noise = 1.4826 * Double(Histogram(bins: deviations).median(in: 0...255) ?? 0)
        self.ink = ink
    }

    /// Each pixel's ink amount in [0, 1]: 0 up to just above the paper (its
    /// tint and noise), rising linearly to 1 at the typical ink level, so the
    /// anti-aliased edge of a stroke keeps its partial values.
    func inkMap(_ image: GrayImage, polarity: Polarity) -> [Float] {
        let low = Double(paper) + 3 * noise + 1
        let high = max(Double(ink), low + 1)
        var table = [Float](repeating: 0, count: 256)
        for v in 0..<256 {
            let inkValue = Double(polarity == .darkOnLight ? 255 - v : v)
            table[v] = Float(min(max((inkValue - low) / (high - low), 0), 1))
        }
        let count = image.pixels.count
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            table.withUnsafeBufferPointer { table in
                image.pixels.withUnsafeBufferPointer { pixels in
                    for i in 0..<count { out[i] = table[Int(pixels[i])] }
                }
            }
            initialized = count
        }
    }
}

/// Eight-connected pieces of ink (union-find over the non-zero pixels).
struct InkPieces {
    /// Per pixel: its provisional label, or -1 for no ink.
    var labels: [Int32]
    /// Mass per root label (0 for labels merged into another).
    var masses: [Float]
    private var parent: [Int32]

    init(_ ink: [Float], width: Int, height: Int) {
        var labels = [Int32](repeating: -1, count: ink.count)
        var parent: [Int32] = []
        ink.withUnsafeBufferPointer { ink in
            labels.withUnsafeMutableBufferPointer { labels in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<width where ink[row + x] > 0 {
                        var label: Int32 = -1
                        // Already-visited neighbours, in this order: W, NW, N, NE.
                        if x > 0 { Self.meet(labels[row + x - 1], &label, &parent) }
                        if y > 0 {
                            let above = row - width + x
                            if x > 0 { Self.meet(labels[above - 1], &label, &parent) }
                            Self.meet(labels[above], &label, &parent)
                            if x + 1 < width { Self.meet(labels[above + 1], &label, &parent) }
                        }
                        if label < 0 {
                            label = Int32(parent.count)
                            parent.append(label)
                        }
                        labels[row + x] = label
                    }
                }
            }
        }
        var masses = [Float](repeating: 0, count: parent.count)
        ink.withUnsafeBufferPointer { ink in
            labels.withUnsafeBufferPointer { labels in
                for i in 0..<ink.count where labels[i] >= 0 {
                    masses[Int(Self.root(labels[i], &parent))] += ink[i]
                }
            }
        }
        self.labels = labels
        self.masses = masses
        self.parent = parent
    }

    mutating func root(_ label: Int) -> Int { Int(Self.root(Int32(label), &parent)) }

    /// A pixel's labelled neighbour `other` (-1: none): the pixel takes the
    /// first one's label and joins the pieces of the others to it.
    @inline(__always)
    private static func meet(_ other: Int32, _ label: inout Int32, _ parent: inout [Int32]) {
        guard other >= 0 else { return }
        if label < 0 { label = other } else if other != label { union(label, other, &parent) }
    }

    /// The root of `label`'s piece (its smallest label), compressing the path.
    private static func root(_ label: Int32, _ parent: inout [Int32]) -> Int32 {
        var r = label
        while parent[Int(r)] != r { r = parent[Int(r)] }
        var l = label
        while parent[Int(l)] != r { (l, parent[Int(l)]) = (parent[Int(l)], r) }
        return r
    }

    private static func union(_ a: Int32, _ b: Int32, _ parent: inout [Int32]) {
        let ra = root(a, &parent), rb = root(b, &parent)
        if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
    }
}

/// For resampling the source interval [from, to) (in pixels; the ends need not be
/// whole) by `scale`: which source pixels each output pixel covers and by how much
/// (weights sum to 1 for a fully covered pixel).
struct AreaWeights {
    struct Tap { var index: Int; var weight: Float }
    /// The first source pixel the interval touches; tap indices count from it.
    var first: Int
    /// How many source pixels, from `first`, the interval touches.
    var span: Int
    var taps: [[Tap]]
    var count: Int { taps.count }

    init(from: Double, to: Double, scale: Double) {
        let first = Int(from.rounded(.down))
        let start = from - Double(first), end = to - Double(first)
        let span = Int(end.rounded(.up))
        // An output pixel whose share of the source is rounding noise is left out.
        let count = max(1, Int(((end - start) * scale - 1e-9).rounded(.up)))
        self.first = first
        self.span = span
        taps = (0..<count).map { o in
            // Output pixel o covers source interval [start + o/scale, start + (o+1)/scale).
            let low = start + Double(o) / scale, high = min(start + Double(o + 1) / scale, end)
            var taps: [Tap] = []
            var s = Int(low)
            while Double(s) < high && s < span {
                let overlap = min(high, Double(s + 1)) - max(low, Double(s))
                if overlap > 0 { taps.append(Tap(index: s, weight: Float(overlap * scale))) }
                s += 1
            }
            return taps
        }
    }
}

extension GrayImage {
    func forEachBorderPixel(_ body: (UInt8) -> Void) {
        guard width > 0, height > 0 else { return }
        for x in 0..<width {
            body(self[x, 0])
            if height > 1 { body(self[x, height - 1]) }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                body(self[0, y])
                if width > 1 { body(self[width - 1, y]) }
            }
        }
    }
}
