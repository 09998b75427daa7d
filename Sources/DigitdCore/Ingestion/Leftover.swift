import Foundation

/// A claim an earlier run left in processing/.
struct Leftover: Sendable {
    let claim: Claim
    /// How many times digitd died while the claim was in flight: 1, or 2 when
    /// its retry was cut short as well (a poison pill).
    let deaths: Int
}
