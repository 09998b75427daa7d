import Foundation

struct FineTuneFailure: Error, CustomStringConvertible {
    var description: String
}
