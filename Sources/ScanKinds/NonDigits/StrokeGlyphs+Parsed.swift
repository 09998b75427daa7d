extension StrokeGlyphs {
    /// A glyph with its strokes read into points.
    struct Parsed: Sendable {
        var glyph: Glyph
        var strokes: [[PenDrawing.Point]]

        init(_ glyph: Glyph) {
            self.glyph = glyph
            strokes = glyph.strokes.split(separator: "|").map { stroke in
                stroke.split(separator: " ").map { pair in
                    let xy = pair.split(separator: ",").map { Double($0)! }
                    return PenDrawing.Point(x: xy[0], y: xy[1])
                }
            }
        }
    }
}
