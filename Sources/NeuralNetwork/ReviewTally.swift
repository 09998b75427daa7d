/// What a review policy does to a set of labelled images: how many digits it trusts and how
/// many of those are wrong, and how many marks that are not digits it keeps from trust. A
/// blank or unreadable image is never trusted.
public struct ReviewTally: Sendable, Equatable {
    public var digits = 0, trusted = 0, trustedWrong = 0, digitsCalledNotADigit = 0
    public var nonDigits = 0, nonDigitsUntrusted = 0, nonDigitsCalledNotADigit = 0

    public init() {}

    /// One image: `label` nil for a non-digit, `prediction` nil for a blank or unreadable one.
    public mutating func add(_ prediction: Prediction?, label: Int?, policy: ReviewPolicy) {
        let verdict = prediction.map(policy.verdict)
        if let label {
            digits += 1
            if verdict == .notADigit { digitsCalledNotADigit += 1 }
            guard verdict == .trusted, let prediction else { return }
            trusted += 1
            if prediction.digit != label { trustedWrong += 1 }
        } else {
            nonDigits += 1
            if verdict != .trusted { nonDigitsUntrusted += 1 }
            if verdict == .notADigit { nonDigitsCalledNotADigit += 1 }
        }
    }

    public static func + (a: ReviewTally, b: ReviewTally) -> ReviewTally {
        var sum = a
        sum.digits += b.digits
        sum.trusted += b.trusted
        sum.trustedWrong += b.trustedWrong
        sum.digitsCalledNotADigit += b.digitsCalledNotADigit
        sum.nonDigits += b.nonDigits
        sum.nonDigitsUntrusted += b.nonDigitsUntrusted
        sum.nonDigitsCalledNotADigit += b.nonDigitsCalledNotADigit
        return sum
    }

    /// The share of digits trusted.
    public var coverage: Double { Double(trusted) / Double(max(digits, 1)) }
    /// The share of trusted digits that were wrong.
    public var errorAmongTrusted: Double { Double(trustedWrong) / Double(max(trusted, 1)) }
    /// The share of non-digits sent to review (or found blank).
    public var nonDigitsToReview: Double { Double(nonDigitsUntrusted) / Double(max(nonDigits, 1)) }
}
