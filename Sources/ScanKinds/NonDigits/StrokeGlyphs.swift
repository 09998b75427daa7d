/// Characters that are not digits, as a person would write them with a pen: each a list of
/// strokes, each stroke points in a unit box (x 0...1 left to right, y 0...1 top to bottom)
/// through which a smooth curve is drawn; a stroke of one point is a dot. The non-digit
/// negatives (NonDigits) draw them with random slant, jitter and pen width.
enum StrokeGlyphs {
    struct Glyph: Sendable {
        var name: String
        var script: Script
        /// Written much like a digit (O and 0, l and 1, S and 5): drawn for the suite, never taught as "not a digit".
        var looksLikeDigit: Bool
        /// "x,y x,y x,y | x,y x,y" : strokes separated by "|", points by spaces.
        var strokes: String
    }
    enum Script: String, Sendable, CaseIterable { case latin, greek, cyrillic, other }

    static let all: [Glyph] = [
        // Latin capitals, print style
        Glyph(name: "A", script: .latin, looksLikeDigit: false, strokes: "0.1,1 0.5,0 | 0.5,0 0.9,1 | 0.27,0.6 0.73,0.6"),
        Glyph(name: "B", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.55,0 0.75,0.07 0.8,0.23 0.72,0.4 0.5,0.48 0.15,0.48 | 0.15,0.48 0.55,0.48 0.8,0.56 0.88,0.74 0.8,0.92 0.55,1 0.15,1"),
        Glyph(name: "C", script: .latin, looksLikeDigit: false, strokes: "0.87,0.15 0.67,0.02 0.43,0.02 0.23,0.15 0.12,0.37 0.12,0.63 0.23,0.85 0.43,0.98 0.67,0.98 0.87,0.85"),
        Glyph(name: "D", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.45,0.02 0.75,0.14 0.9,0.5 0.75,0.86 0.45,0.98 0.15,1"),
        Glyph(name: "E", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.85,0 | 0.15,0.5 0.7,0.5 | 0.15,1 0.85,1"),
        Glyph(name: "F", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.85,0 | 0.15,0.5 0.7,0.5"),
        Glyph(name: "G", script: .latin, looksLikeDigit: false, strokes: "0.84,0.15 0.63,0.01 0.38,0.02 0.18,0.18 0.08,0.42 0.1,0.69 0.26,0.9 0.48,1 0.72,0.95 0.9,0.76 0.97,0.5 | 0.97,0.52 0.6,0.52"),
        Glyph(name: "H", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.85,0 0.85,1 | 0.15,0.5 0.85,0.5"),
        Glyph(name: "I", script: .latin, looksLikeDigit: true, strokes: "0.5,0 0.5,1 | 0.3,0 0.7,0 | 0.3,1 0.7,1"),
        Glyph(name: "J", script: .latin, looksLikeDigit: false, strokes: "0.45,0 0.95,0 | 0.7,0 0.7,0.7 0.65,0.88 0.5,0.98 0.32,0.97 0.2,0.85 0.17,0.72"),
        Glyph(name: "K", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.85,0 0.15,0.55 | 0.35,0.42 0.88,1"),
        Glyph(name: "L", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,1 0.85,1"),
        Glyph(name: "M", script: .latin, looksLikeDigit: false, strokes: "0.1,1 0.12,0 | 0.12,0 0.5,0.65 | 0.5,0.65 0.88,0 | 0.88,0 0.9,1"),
        Glyph(name: "N", script: .latin, looksLikeDigit: false, strokes: "0.15,1 0.15,0 | 0.15,0 0.85,1 | 0.85,1 0.85,0"),
        Glyph(name: "O", script: .latin, looksLikeDigit: true, strokes: "0.43,0.01 0.24,0.11 0.11,0.3 0.08,0.55 0.15,0.78 0.3,0.94 0.51,1 0.71,0.94 0.85,0.77 0.92,0.53 0.88,0.29 0.75,0.1 0.56,0.01 0.36,0.03"),
        Glyph(name: "P", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.55,0 0.78,0.08 0.85,0.25 0.78,0.42 0.55,0.5 0.15,0.5"),
        Glyph(name: "Q", script: .latin, looksLikeDigit: false, strokes: "0.43,0.01 0.24,0.1 0.11,0.29 0.08,0.53 0.15,0.75 0.3,0.91 0.51,0.96 0.71,0.9 0.85,0.74 0.92,0.51 0.88,0.28 0.75,0.1 0.56,0.01 0.36,0.03 | 0.6,0.75 0.95,1"),
        Glyph(name: "R", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.55,0 0.78,0.08 0.85,0.25 0.78,0.42 0.55,0.5 0.15,0.5 | 0.45,0.5 0.88,1"),
        Glyph(name: "S", script: .latin, looksLikeDigit: true, strokes: "0.85,0.12 0.68,0.02 0.45,0 0.22,0.06 0.15,0.22 0.25,0.38 0.5,0.48 0.75,0.58 0.87,0.75 0.8,0.92 0.55,1 0.3,0.98 0.12,0.88"),
        Glyph(name: "T", script: .latin, looksLikeDigit: false, strokes: "0.1,0 0.9,0 | 0.5,0 0.5,1"),
        Glyph(name: "U", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.15,0.65 0.22,0.88 0.38,0.99 0.62,0.99 0.78,0.88 0.85,0.65 0.85,0"),
        Glyph(name: "V", script: .latin, looksLikeDigit: false, strokes: "0.1,0 0.5,1 | 0.5,1 0.9,0"),
        Glyph(name: "W", script: .latin, looksLikeDigit: false, strokes: "0.05,0 0.27,1 | 0.27,1 0.5,0.35 | 0.5,0.35 0.73,1 | 0.73,1 0.95,0"),
        Glyph(name: "X", script: .latin, looksLikeDigit: false, strokes: "0.12,0 0.88,1 | 0.88,0 0.12,1"),
        Glyph(name: "Y", script: .latin, looksLikeDigit: false, strokes: "0.1,0 0.5,0.5 | 0.9,0 0.5,0.5 | 0.5,0.5 0.5,1"),
        Glyph(name: "Z", script: .latin, looksLikeDigit: true, strokes: "0.12,0 0.88,0 | 0.88,0 0.12,1 | 0.12,1 0.88,1"),

        // Latin lowercase: x-height body y 0.35...1, ascenders to 0; with a descender, body 0...0.65
        Glyph(name: "a", script: .latin, looksLikeDigit: false, strokes: "0.75,0.62 0.68,0.47 0.57,0.37 0.42,0.35 0.29,0.43 0.21,0.56 0.19,0.73 0.26,0.88 0.37,0.98 0.52,1 0.65,0.92 0.73,0.79 0.75,0.62 | 0.75,0.35 0.75,0.9 0.8,0.99 0.86,0.98"),
        Glyph(name: "b", script: .latin, looksLikeDigit: true, strokes: "0.18,0 0.18,1 | 0.2,0.56 0.28,0.43 0.42,0.36 0.57,0.36 0.7,0.45 0.77,0.59 0.77,0.76 0.7,0.9 0.57,0.99 0.42,0.99 0.28,0.92 0.2,0.79"),
        Glyph(name: "c", script: .latin, looksLikeDigit: false, strokes: "0.73,0.45 0.56,0.36 0.38,0.37 0.23,0.49 0.18,0.68 0.23,0.86 0.38,0.98 0.56,0.99 0.73,0.9"),
        Glyph(name: "d", script: .latin, looksLikeDigit: false, strokes: "0.78,0.56 0.7,0.43 0.56,0.36 0.41,0.36 0.28,0.45 0.21,0.59 0.21,0.76 0.28,0.9 0.41,0.99 0.56,0.99 0.7,0.92 0.78,0.79 | 0.8,0 0.8,1"),
        Glyph(name: "e", script: .latin, looksLikeDigit: false, strokes: "0.2,0.68 0.8,0.68 0.78,0.52 0.65,0.39 0.48,0.35 0.3,0.4 0.2,0.55 0.19,0.72 0.26,0.9 0.45,1 0.65,0.99 0.8,0.9"),
        Glyph(name: "f", script: .latin, looksLikeDigit: false, strokes: "0.78,0.08 0.65,0 0.5,0.02 0.42,0.12 0.4,0.3 0.4,1 | 0.2,0.38 0.65,0.38"),
        Glyph(name: "g", script: .latin, looksLikeDigit: true, strokes: "0.77,0.26 0.7,0.11 0.57,0.02 0.42,0 0.28,0.07 0.19,0.21 0.17,0.38 0.24,0.53 0.37,0.62 0.52,0.64 0.66,0.57 0.75,0.43 0.77,0.26 | 0.77,0 0.77,0.8 0.7,0.95 0.52,1 0.32,0.97 0.2,0.88"),
        Glyph(name: "h", script: .latin, looksLikeDigit: false, strokes: "0.18,0 0.18,1 | 0.18,0.55 0.3,0.4 0.48,0.35 0.66,0.4 0.76,0.55 0.78,0.7 0.78,1"),
        Glyph(name: "i", script: .latin, looksLikeDigit: true, strokes: "0.5,0.38 0.5,1 | 0.5,0.12"),
        Glyph(name: "j", script: .latin, looksLikeDigit: false, strokes: "0.6,0.25 0.6,0.82 0.55,0.95 0.42,1 0.28,0.97 0.2,0.88 | 0.6,0.02"),
        Glyph(name: "k", script: .latin, looksLikeDigit: false, strokes: "0.2,0 0.2,1 | 0.75,0.38 0.2,0.72 | 0.38,0.62 0.8,1"),
        Glyph(name: "l", script: .latin, looksLikeDigit: true, strokes: "0.5,0 0.5,1"),
        Glyph(name: "m", script: .latin, looksLikeDigit: false, strokes: "0.12,0.35 0.12,1 | 0.12,0.5 0.2,0.39 0.31,0.35 0.42,0.39 0.48,0.5 0.5,0.65 0.5,1 | 0.5,0.5 0.58,0.39 0.69,0.35 0.8,0.39 0.86,0.5 0.88,0.65 0.88,1"),
        Glyph(name: "n", script: .latin, looksLikeDigit: false, strokes: "0.2,0.35 0.2,1 | 0.2,0.52 0.32,0.4 0.5,0.35 0.68,0.4 0.78,0.55 0.8,0.7 0.8,1"),
        Glyph(name: "o", script: .latin, looksLikeDigit: true, strokes: "0.44,0.35 0.3,0.42 0.21,0.55 0.18,0.71 0.23,0.86 0.35,0.96 0.5,1 0.66,0.96 0.77,0.85 0.82,0.7 0.79,0.54 0.69,0.42 0.55,0.35 0.39,0.37"),
        Glyph(name: "p", script: .latin, looksLikeDigit: false, strokes: "0.2,0 0.2,1 | 0.22,0.21 0.3,0.08 0.44,0.01 0.59,0.01 0.72,0.1 0.79,0.24 0.79,0.4 0.72,0.54 0.59,0.63 0.44,0.63 0.3,0.56 0.22,0.43"),
        Glyph(name: "q", script: .latin, looksLikeDigit: true, strokes: "0.76,0.21 0.68,0.08 0.54,0.01 0.39,0.01 0.26,0.1 0.19,0.24 0.19,0.4 0.26,0.54 0.39,0.63 0.54,0.63 0.68,0.56 0.76,0.43 | 0.78,0 0.78,1"),
        Glyph(name: "r", script: .latin, looksLikeDigit: false, strokes: "0.25,0.35 0.25,1 | 0.25,0.55 0.35,0.42 0.5,0.36 0.65,0.35 0.78,0.4"),
        Glyph(name: "s", script: .latin, looksLikeDigit: true, strokes: "0.78,0.43 0.64,0.36 0.46,0.35 0.28,0.39 0.22,0.49 0.3,0.6 0.5,0.66 0.7,0.73 0.8,0.84 0.74,0.95 0.54,1 0.34,0.99 0.2,0.92"),
        Glyph(name: "t", script: .latin, looksLikeDigit: false, strokes: "0.45,0.05 0.45,0.88 0.52,0.98 0.65,1 0.78,0.95 | 0.2,0.35 0.72,0.35"),
        Glyph(name: "u", script: .latin, looksLikeDigit: false, strokes: "0.2,0.35 0.2,0.75 0.27,0.92 0.42,1 0.6,0.98 0.74,0.88 0.8,0.7 | 0.8,0.35 0.8,1"),
        Glyph(name: "v", script: .latin, looksLikeDigit: false, strokes: "0.15,0.35 0.5,1 | 0.5,1 0.85,0.35"),
        Glyph(name: "w", script: .latin, looksLikeDigit: false, strokes: "0.05,0.35 0.27,1 | 0.27,1 0.5,0.5 | 0.5,0.5 0.73,1 | 0.73,1 0.95,0.35"),
        Glyph(name: "x", script: .latin, looksLikeDigit: false, strokes: "0.2,0.35 0.8,1 | 0.8,0.35 0.2,1"),
        Glyph(name: "y", script: .latin, looksLikeDigit: false, strokes: "0.15,0 0.49,0.6 | 0.85,0 0.25,1"),
        Glyph(name: "z", script: .latin, looksLikeDigit: true, strokes: "0.15,0.35 0.85,0.35 | 0.85,0.35 0.15,1 | 0.15,1 0.85,1"),

        // Greek lowercase
        Glyph(name: "alpha", script: .greek, looksLikeDigit: false, strokes: "0.88,0.35 0.75,0.6 0.6,0.85 0.45,0.98 0.28,0.98 0.15,0.85 0.12,0.65 0.2,0.45 0.35,0.35 0.5,0.37 0.62,0.5 0.75,0.75 0.85,0.95 0.95,1"),
        Glyph(name: "beta", script: .greek, looksLikeDigit: false, strokes: "0.2,1 0.2,0.2 0.28,0.05 0.45,0 0.62,0.04 0.7,0.15 0.65,0.27 0.45,0.34 0.68,0.4 0.8,0.52 0.78,0.65 0.65,0.72 0.45,0.73 0.2,0.66"),
        Glyph(name: "gamma", script: .greek, looksLikeDigit: false, strokes: "0.1,0.05 0.22,0.02 0.33,0.15 0.45,0.45 0.52,0.75 0.52,0.93 0.47,1 0.42,0.93 0.45,0.72 0.55,0.45 0.72,0.15 0.88,0"),
        Glyph(name: "delta", script: .greek, looksLikeDigit: true, strokes: "0.75,0.08 0.6,0 0.4,0.02 0.35,0.12 0.45,0.25 0.65,0.4 0.8,0.58 0.82,0.78 0.7,0.95 0.5,1 0.3,0.95 0.2,0.78 0.25,0.58 0.42,0.45 0.55,0.38"),
        Glyph(name: "epsilon", script: .greek, looksLikeDigit: false, strokes: "0.78,0.42 0.62,0.35 0.42,0.36 0.28,0.45 0.3,0.58 0.45,0.65 0.6,0.66 | 0.6,0.66 0.4,0.68 0.24,0.77 0.22,0.9 0.36,0.99 0.56,1 0.78,0.93"),
        Glyph(name: "eta", script: .greek, looksLikeDigit: false, strokes: "0.12,0.05 0.2,0.1 0.2,0.65 | 0.2,0.25 0.32,0.08 0.5,0 0.68,0.05 0.78,0.2 0.8,0.4 0.8,1"),
        Glyph(name: "theta", script: .greek, looksLikeDigit: true, strokes: "0.44,0.01 0.3,0.11 0.21,0.3 0.18,0.55 0.23,0.78 0.35,0.94 0.5,1 0.66,0.94 0.77,0.77 0.82,0.53 0.79,0.29 0.69,0.1 0.55,0.01 0.39,0.03 | 0.2,0.5 0.8,0.5"),
        Glyph(name: "lambda", script: .greek, looksLikeDigit: false, strokes: "0.15,0 0.3,0.05 0.45,0.25 0.88,1 | 0.52,0.42 0.12,1"),
        Glyph(name: "mu", script: .greek, looksLikeDigit: false, strokes: "0.18,0 0.18,1 | 0.18,0.42 0.26,0.58 0.42,0.65 0.6,0.6 0.74,0.45 0.78,0.3 | 0.78,0 0.78,0.55 0.84,0.65 0.92,0.63"),
        Glyph(name: "pi", script: .greek, looksLikeDigit: false, strokes: "0.08,0.4 0.92,0.38 | 0.32,0.4 0.3,1 | 0.68,0.4 0.72,0.92 0.8,1 0.88,0.98"),
        Glyph(name: "sigma", script: .greek, looksLikeDigit: true, strokes: "0.95,0.4 0.45,0.4 | 0.45,0.4 0.29,0.44 0.17,0.55 0.13,0.7 0.17,0.85 0.29,0.96 0.45,1 0.61,0.96 0.73,0.85 0.77,0.7 0.73,0.55 0.61,0.44 0.45,0.4"),
        Glyph(name: "phi", script: .greek, looksLikeDigit: false, strokes: "0.44,0.22 0.28,0.28 0.18,0.39 0.15,0.53 0.21,0.66 0.34,0.75 0.5,0.78 0.67,0.74 0.8,0.65 0.85,0.52 0.82,0.38 0.71,0.28 0.55,0.22 0.38,0.24 | 0.5,0 0.5,1"),
        Glyph(name: "psi", script: .greek, looksLikeDigit: false, strokes: "0.5,0 0.5,1 | 0.1,0.25 0.15,0.45 0.25,0.62 0.4,0.7 0.5,0.71 0.6,0.7 0.75,0.62 0.85,0.45 0.9,0.25"),
        Glyph(name: "omega", script: .greek, looksLikeDigit: false, strokes: "0.22,0.38 0.1,0.6 0.12,0.85 0.22,0.98 0.35,0.98 0.45,0.85 0.5,0.65 0.55,0.85 0.65,0.98 0.78,0.98 0.88,0.85 0.9,0.6 0.78,0.38"),

        // Greek capitals
        Glyph(name: "Gamma", script: .greek, looksLikeDigit: false, strokes: "0.2,0 0.2,1 | 0.2,0 0.85,0"),
        Glyph(name: "Delta", script: .greek, looksLikeDigit: false, strokes: "0.5,0 0.08,1 | 0.5,0 0.92,1 | 0.08,1 0.92,1"),
        Glyph(name: "Lambda", script: .greek, looksLikeDigit: false, strokes: "0.5,0 0.1,1 | 0.5,0 0.9,1"),
        Glyph(name: "Sigma", script: .greek, looksLikeDigit: false, strokes: "0.85,0 0.15,0 | 0.15,0 0.55,0.5 | 0.55,0.5 0.15,1 | 0.15,1 0.85,1"),
        Glyph(name: "Psi", script: .greek, looksLikeDigit: false, strokes: "0.5,0 0.5,1 | 0.1,0.05 0.12,0.3 0.2,0.5 0.35,0.62 0.5,0.65 0.65,0.62 0.8,0.5 0.88,0.3 0.9,0.05"),
        Glyph(name: "Omega", script: .greek, looksLikeDigit: false, strokes: "0.36,1 0.3,0.9 0.18,0.75 0.12,0.5 0.2,0.22 0.35,0.05 0.5,0 0.65,0.05 0.8,0.22 0.88,0.5 0.82,0.75 0.7,0.9 0.64,1 | 0.08,1 0.36,1 | 0.64,1 0.92,1"),

        // Cyrillic
        Glyph(name: "Be", script: .cyrillic, looksLikeDigit: true, strokes: "0.8,0 0.2,0 | 0.2,0 0.2,1 | 0.2,0.45 0.55,0.45 0.78,0.52 0.86,0.72 0.78,0.92 0.55,1 0.2,1"),
        Glyph(name: "be", script: .cyrillic, looksLikeDigit: true, strokes: "0.8,0.02 0.6,0.05 0.42,0.12 0.3,0.25 0.2,0.5 0.18,0.75 0.28,0.93 0.48,1 0.68,0.95 0.78,0.78 0.72,0.6 0.52,0.52 0.35,0.55 0.22,0.65"),
        Glyph(name: "Ge", script: .cyrillic, looksLikeDigit: false, strokes: "0.2,0 0.2,1 | 0.2,0 0.85,0"),
        Glyph(name: "De", script: .cyrillic, looksLikeDigit: false, strokes: "0.38,0 0.78,0 | 0.38,0 0.35,0.45 0.28,0.7 0.15,0.82 | 0.78,0 0.78,0.82 | 0.05,0.82 0.95,0.82 | 0.05,0.82 0.05,1 | 0.95,0.82 0.95,1"),
        Glyph(name: "Zhe", script: .cyrillic, looksLikeDigit: false, strokes: "0.5,0 0.5,1 | 0.08,0.02 0.5,0.5 | 0.92,0.02 0.5,0.5 | 0.5,0.5 0.08,1 | 0.5,0.5 0.92,1"),
        Glyph(name: "I-cyr", script: .cyrillic, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,1 0.85,0 | 0.85,0 0.85,1"),
        Glyph(name: "El", script: .cyrillic, looksLikeDigit: false, strokes: "0.1,0.98 0.2,0.95 0.3,0.7 0.38,0.3 0.42,0 | 0.42,0 0.85,0 | 0.85,0 0.85,1"),
        Glyph(name: "Pe", script: .cyrillic, looksLikeDigit: false, strokes: "0.15,0 0.15,1 | 0.15,0 0.85,0 | 0.85,0 0.85,1"),
        Glyph(name: "Ef", script: .cyrillic, looksLikeDigit: false, strokes: "0.5,0 0.5,1 | 0.43,0.17 0.24,0.22 0.11,0.32 0.08,0.44 0.15,0.56 0.3,0.64 0.51,0.67 0.71,0.64 0.85,0.55 0.92,0.44 0.88,0.32 0.75,0.22 0.56,0.17 0.36,0.19"),
        Glyph(name: "Tse", script: .cyrillic, looksLikeDigit: false, strokes: "0.15,0 0.15,0.85 | 0.8,0 0.8,0.85 | 0.15,0.85 0.92,0.85 | 0.92,0.85 0.92,1"),
        Glyph(name: "Che", script: .cyrillic, looksLikeDigit: true, strokes: "0.18,0 0.18,0.35 0.25,0.5 0.42,0.56 0.6,0.55 0.82,0.48 | 0.82,0 0.82,1"),
        Glyph(name: "Sha", script: .cyrillic, looksLikeDigit: false, strokes: "0.1,0 0.1,1 | 0.5,0 0.5,1 | 0.9,0 0.9,1 | 0.1,1 0.9,1"),
        Glyph(name: "Shcha", script: .cyrillic, looksLikeDigit: false, strokes: "0.08,0 0.08,0.85 | 0.45,0 0.45,0.85 | 0.82,0 0.82,0.85 | 0.08,0.85 0.95,0.85 | 0.95,0.85 0.95,1"),
        Glyph(name: "E-cyr", script: .cyrillic, looksLikeDigit: true, strokes: "0.08,0.18 0.27,0.03 0.52,0.01 0.73,0.14 0.85,0.37 0.85,0.63 0.73,0.86 0.52,0.99 0.27,0.97 0.08,0.82 | 0.35,0.5 0.87,0.5"),
        Glyph(name: "Yu", script: .cyrillic, looksLikeDigit: false, strokes: "0.1,0 0.1,1 | 0.1,0.5 0.38,0.5 | 0.61,0.01 0.49,0.11 0.4,0.3 0.38,0.55 0.43,0.78 0.53,0.94 0.66,1 0.8,0.94 0.9,0.77 0.94,0.53 0.91,0.29 0.83,0.1 0.7,0.01 0.56,0.03"),
        Glyph(name: "Ya", script: .cyrillic, looksLikeDigit: false, strokes: "0.8,0 0.8,1 | 0.8,0 0.45,0 0.22,0.08 0.15,0.25 0.22,0.42 0.45,0.5 0.8,0.5 | 0.5,0.5 0.12,1"),

        // Symbols a form might hold
        Glyph(name: "plus", script: .other, looksLikeDigit: false, strokes: "0.5,0.1 0.5,0.9 | 0.1,0.5 0.9,0.5"),
        Glyph(name: "minus", script: .other, looksLikeDigit: false, strokes: "0.1,0.5 0.9,0.5"),
        Glyph(name: "times", script: .other, looksLikeDigit: false, strokes: "0.2,0.2 0.8,0.8 | 0.8,0.2 0.2,0.8"),
        Glyph(name: "divide", script: .other, looksLikeDigit: false, strokes: "0.1,0.5 0.9,0.5 | 0.5,0.2 | 0.5,0.8"),
        Glyph(name: "equals", script: .other, looksLikeDigit: false, strokes: "0.1,0.35 0.9,0.35 | 0.1,0.65 0.9,0.65"),
        Glyph(name: "question", script: .other, looksLikeDigit: false, strokes: "0.15,0.22 0.22,0.08 0.4,0 0.6,0 0.78,0.1 0.82,0.25 0.72,0.4 0.55,0.5 0.5,0.6 0.5,0.75 | 0.5,0.97"),
        Glyph(name: "exclamation", script: .other, looksLikeDigit: true, strokes: "0.5,0 0.5,0.72 | 0.5,0.97"),
        Glyph(name: "hash", script: .other, looksLikeDigit: false, strokes: "0.38,0.05 0.3,0.95 | 0.72,0.05 0.64,0.95 | 0.1,0.33 0.92,0.33 | 0.08,0.67 0.9,0.67"),
        Glyph(name: "percent", script: .other, looksLikeDigit: false, strokes: "0.85,0 0.15,1 | 0.2,0.02 0.11,0.08 0.08,0.19 0.12,0.29 0.21,0.34 0.3,0.31 0.36,0.22 0.34,0.11 0.27,0.03 0.17,0.03 | 0.76,0.66 0.67,0.72 0.64,0.83 0.68,0.93 0.77,0.98 0.86,0.95 0.92,0.86 0.9,0.75 0.83,0.67 0.73,0.67"),
        Glyph(name: "ampersand", script: .other, looksLikeDigit: false, strokes: "0.92,1 0.6,0.62 0.38,0.4 0.3,0.22 0.35,0.06 0.5,0 0.65,0.06 0.68,0.2 0.58,0.34 0.35,0.5 0.18,0.65 0.15,0.82 0.25,0.96 0.45,1 0.65,0.93 0.78,0.8 0.88,0.6"),
        Glyph(name: "at", script: .other, looksLikeDigit: false, strokes: "0.67,0.49 0.62,0.38 0.54,0.33 0.45,0.33 0.37,0.39 0.33,0.5 0.35,0.61 0.41,0.69 0.51,0.72 0.6,0.68 0.66,0.6 0.67,0.49 | 0.67,0.32 0.67,0.65 0.75,0.72 0.85,0.68 0.93,0.52 0.92,0.3 0.8,0.1 0.6,0 0.38,0.02 0.18,0.14 0.07,0.35 0.07,0.62 0.18,0.85 0.38,0.98 0.6,1 0.8,0.92"),
        Glyph(name: "asterisk", script: .other, looksLikeDigit: false, strokes: "0.5,0.1 0.5,0.9 | 0.15,0.3 0.85,0.7 | 0.85,0.3 0.15,0.7"),
        Glyph(name: "slash", script: .other, looksLikeDigit: true, strokes: "0.8,0 0.2,1"),

        // Characters of other scripts
        Glyph(name: "kanji-ren", script: .other, looksLikeDigit: false, strokes: "0.52,0 0.5,0.3 0.4,0.6 0.25,0.85 0.05,1 | 0.5,0.35 0.62,0.65 0.78,0.87 0.95,1"),
        Glyph(name: "kanji-da", script: .other, looksLikeDigit: false, strokes: "0.1,0.35 0.9,0.35 | 0.5,0 0.5,0.35 0.42,0.62 0.28,0.85 0.08,1 | 0.52,0.4 0.65,0.68 0.8,0.88 0.95,1"),
        Glyph(name: "kanji-kou", script: .other, looksLikeDigit: true, strokes: "0.15,0.1 0.15,0.95 | 0.15,0.1 0.85,0.1 | 0.85,0.1 0.85,0.95 | 0.15,0.92 0.85,0.92"),
        Glyph(name: "kanji-tian", script: .other, looksLikeDigit: false, strokes: "0.15,0.1 0.15,0.95 | 0.15,0.1 0.85,0.1 | 0.85,0.1 0.85,0.95 | 0.15,0.92 0.85,0.92 | 0.5,0.1 0.5,0.92 | 0.15,0.5 0.85,0.5"),
        Glyph(name: "kanji-shan", script: .other, looksLikeDigit: false, strokes: "0.5,0 0.5,0.92 | 0.12,0.35 0.12,0.92 | 0.12,0.92 0.88,0.92 | 0.88,0.35 0.88,0.92"),
        Glyph(name: "kanji-mu", script: .other, looksLikeDigit: false, strokes: "0.08,0.3 0.92,0.3 | 0.5,0 0.5,1 | 0.48,0.32 0.3,0.62 0.08,0.82 | 0.52,0.32 0.7,0.62 0.92,0.82"),
        Glyph(name: "hebrew-alef", script: .other, looksLikeDigit: false, strokes: "0.15,0.05 0.85,0.95 | 0.8,0.02 0.82,0.22 0.75,0.38 0.62,0.45 | 0.38,0.55 0.25,0.65 0.2,0.8 0.22,0.98"),
        Glyph(name: "hebrew-shin", script: .other, looksLikeDigit: false, strokes: "0.1,0.02 0.12,0.55 0.22,0.85 0.42,0.98 0.65,0.98 0.82,0.88 0.9,0.6 0.9,0.02 | 0.52,0.02 0.52,0.4 0.46,0.7 0.36,0.96"),
        Glyph(name: "arabic-ba", script: .other, looksLikeDigit: false, strokes: "0.05,0.35 0.08,0.6 0.2,0.72 0.5,0.75 0.8,0.72 0.92,0.6 0.95,0.35 | 0.5,0.95"),
    ]
}
