// ImagingBench: decode+normalize throughput of the Imaging layer, one thread.
//
//   ImagingBench [--seconds S | --iterations N] [--runs N] [--warmup S] [--variants LIST] [--dump DIR] FILE...
//
// For each file the bytes are read once; then each variant is timed for `runs`
// runs of at least `seconds / runs` seconds each (after `warmup` seconds), and
// the median images/s of those runs is printed as one JSON object per line:
//
//   {"side":"swift","variant":"bytes","file":"page.jpg","ips":123.4,...}
//
// Variants (comma-separated, default "bytes,file,decode"):
//   bytes   decode(bytes) + normalize, from bytes already in memory
//   file    decode(contentsOf: path) + normalize: the file is read every time
//   decode  decode(bytes) only
//
// --iterations N makes every run exactly N iterations (for callgrind, where
// time means little). --dump DIR writes each file's normalized 28x28 as
// DIR/<file>.f32 (784 little-endian float32) so another implementation can be
// compared with it.
// Public API of Imaging only; `make bench` (bench/imaging/imaging.sh) drives it.
import Imaging
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var seconds = 2.0
    var runs = 5
    /// Fixed iterations per run instead of a time budget (for profilers).
    var iterations: Int?
    var warmup = 0.3
    var variants = ["bytes", "file", "decode"]
    var dump: String?
    var files: [String] = []
}

func warn(_ message: String) {
    let line = Array("ImagingBench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    warn(message)
    exit(2)
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst()
    func value(_ name: String) -> String {
        guard let v = args.popFirst() else { fail("\(name) needs a value") }
        return v
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--seconds":
            guard let v = Double(value(arg)), v > 0 else { fail("--seconds: a positive number") }
            options.seconds = v
        case "--runs":
            guard let v = Int(value(arg)), v > 0 else { fail("--runs: a positive integer") }
            options.runs = v
        case "--iterations":
            guard let v = Int(value(arg)), v > 0 else { fail("--iterations: a positive integer") }
            options.iterations = v
        case "--warmup":
            guard let v = Double(value(arg)), v >= 0 else { fail("--warmup: a number ≥ 0") }
            options.warmup = v
        case "--variants":
            options.variants = value(arg).split(separator: ",").map(String.init)
            for v in options.variants where !["bytes", "file", "decode"].contains(v) {
                fail("unknown variant \(v) (bytes, file, decode)")
            }
        case "--dump":
            options.dump = value(arg)
        case "-h", "--help":
            print("usage: ImagingBench [--seconds S | --iterations N] [--runs N] [--warmup S] [--variants bytes,file,decode] [--dump DIR] FILE...")
            exit(0)
        default:
            if arg.hasPrefix("-") { fail("unknown option \(arg)") }
            options.files.append(arg)
        }
    }
    if options.files.isEmpty { fail("no files (try --help)") }
    return options
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func readAll(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("\(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func basename(_ path: String) -> String {
    String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
}

func json(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out += c.value < 0x20 ? "?" : String(c)
        }
    }
    return out + "\""
}

/// Keeps the optimizer from dropping work whose result is otherwise unused.
@inline(never) func consume(_ scan: NormalizedScan) -> Int {
    Int(scan.pixels[14 * 28 + 14] * 255) &+ (scan.inkBox?.width ?? 0)
}

@inline(never) func consume(_ decoded: DecodedImage) -> Int {
    decoded.image.width &+ Int(decoded.image.pixels[decoded.image.pixels.count / 2])
}

/// Median images/s over `runs` runs of at least `perRun` seconds (or exactly
/// `iterations` iterations) each.
func measure(warmup: Double, perRun: Double, iterations fixed: Int?, runs: Int, _ body: () -> Int) -> (median: Double, rates: [Double], iterations: Int, sink: Int) {
    var sink = 0
    let warmEnd = now() + warmup
    var warmed = 0
    while warmed < 2 || now() < warmEnd {
        sink &+= body()
        warmed += 1
    }
    var rates: [Double] = []
    var iterations = 0
    for _ in 0..<runs {
        var n = 0
        let start = now()
        var elapsed = 0.0
        repeat {
            sink &+= body()
            n += 1
            elapsed = now() - start
        } while fixed.map { n < $0 } ?? (elapsed < perRun)
        rates.append(Double(n) / elapsed)
        iterations += n
    }
    let sorted = rates.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    return (median, rates, iterations, sink)
}

/// One decimal, as JSON wants it.
func format(_ x: Double) -> String { "\((x * 10).rounded() / 10)" }

func dump(_ scan: NormalizedScan, to dir: String, name: String) {
    let path = dir + "/" + name + ".f32"
    guard let f = fopen(path, "wb") else { fail("\(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    // x86_64 and arm64 are little-endian: the floats' bytes as they lie.
    _ = scan.pixels.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
}

let options = parseOptions()
let decoder = ImageDecoder()
let normalizer = ScanNormalizer()

var failed = false
for path in options.files {
    let name = basename(path)
    let bytes = readAll(path)
    let decoded: DecodedImage
    let scan: NormalizedScan
    do {
        decoded = try decoder.decode(bytes)
        scan = try normalizer.normalize(decoded.image)
    } catch {
        warn("\(path): \(error)")
        failed = true
        continue
    }
    if let dir = options.dump { dump(scan, to: dir, name: name) }
    let info = "\"file\":\(json(name)),\"bytes\":\(bytes.count),\"stored\":\"\(decoded.storedWidth)x\(decoded.storedHeight)\"," +
        "\"decoded\":\"\(decoded.image.width)x\(decoded.image.height)\",\"scale\":\(decoded.scaleDenominator)," +
        "\"ink_box\":\(scan.inkBox.map { json($0.description) } ?? "null")"

    for variant in options.variants {
        let perRun = options.seconds / Double(options.runs)
        let result: (median: Double, rates: [Double], iterations: Int, sink: Int)
        switch variant {
        case "bytes":
            result = measure(warmup: options.warmup, perRun: perRun, iterations: options.iterations, runs: options.runs) {
                guard let d = try? decoder.decode(bytes), let scan = try? normalizer.normalize(d.image) else {
                    fail("\(path): decode or normalize failed while timing")
                }
                return consume(scan)
            }
        case "file":
            result = measure(warmup: options.warmup, perRun: perRun, iterations: options.iterations, runs: options.runs) {
                guard let d = try? decoder.decode(contentsOf: path), let scan = try? normalizer.normalize(d.image) else {
                    fail("\(path): decode or normalize failed while timing")
                }
                return consume(scan)
            }
        default:  // "decode"
            result = measure(warmup: options.warmup, perRun: perRun, iterations: options.iterations, runs: options.runs) {
                guard let d = try? decoder.decode(bytes) else { fail("\(path): decode failed while timing") }
                return consume(d)
            }
        }
        let rates = result.rates.map { format($0) }.joined(separator: ",")
        print("{\"side\":\"swift\",\"variant\":\"\(variant)\",\(info),\"ips\":\(format(result.median)),"
            + "\"runs\":[\(rates)],\"iterations\":\(result.iterations),\"sink\":\(result.sink)}")
    }
}
exit(failed ? 1 : 0)
