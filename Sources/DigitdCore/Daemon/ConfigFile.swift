import Foundation
import NeuralNetwork
import TOMLKit

/// The TOML file as written: every key optional, names as in the file.
struct ConfigFile: Codable {
    struct Paths: Codable {
        var inbox, processing, done, failed, results, labels, models, socket: String?
    }
    struct Model: Codable {
        var path: String?
        var keep: Int?
    }
    struct Batch: Codable { var max_size, max_delay_ms: Int? }
    struct Watch: Codable {
        var quiet_period_ms: Int?
        var rescan_interval_s: Number?
    }
    struct Workers: Codable { var threads: Int? }
    struct Limits: Codable {
        var max_file_mb, max_width, max_height, max_megapixels: Int?
        var work_budget_s: Number?
    }
    struct Log: Codable { var level: String? }
    struct Metrics: Codable { var listen: String? }
    struct Results: Codable { var formula_guard: Bool? }
    struct Review: Codable { var target_error: Number? }
    struct Control: Codable {
        var admin_group: String?
        var idle_timeout_s: Number?
        var max_connections: Int?
    }
    struct FineTune: Codable {
        var interval_s: Number?
        var min_new_labels: Int?
        var mnist, anchor: String?
        var general_size, mnist_replay, replay_size, epochs, batch_size, threads: Int?
        var learning_rate, holdout_fraction, replay_ratio, interpolation, max_regression_points, max_seconds: Number?
        var rotation_degrees, shift_pixels, scale: Number?
    }

    /// A real number as a person writes it: `3600` as well as `3600.0`.
    struct Number: Codable {
        var value: Double

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integer = try? container.decode(Int.self) { value = Double(integer) } else { value = try container.decode(Double.self) }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    var root: String?
    var paths: Paths?
    var model: Model?
    var batch: Batch?
    var watch: Watch?
    var workers: Workers?
    var limits: Limits?
    var log: Log?
    var finetune: FineTune?
    var metrics: Metrics?
    var results: Results?
    var review: Review?
    var control: Control?
}
