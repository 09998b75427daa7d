// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "digitd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "digitd", targets: ["digitd"]),
        .executable(name: "digitctl", targets: ["digitctl"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries (Debian packages installed by scripts/bootstrap.sh).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // What Swift cannot do itself: calls into libpng/libjpeg under setjmp.
        .target(name: "CImageCodecs", dependencies: ["CLibPNG", "CLibJPEG"]),

        // Decode, normalize, IDX files.
        .target(name: "Imaging", dependencies: ["CImageCodecs", "CZlib"]),

        // parallelFor / parallelMap over indices: the one thread fan-out of the engine and the daemon.
        .target(name: "Parallel"),

        // Register-blocked AVX-512 / AVX2 matrix kernels (picked at run time by CPU) and maxpool.
        .target(name: "CKernels"),
        // The seed CNN: layers forward + backward, Adam, augmentation, model file.
        .target(name: "NeuralNetwork", dependencies: ["CBLAS", "CKernels", "Parallel", .product(name: "Crypto", package: "swift-crypto")]),

        // Other kinds of scans made from MNIST digits (low resolution, 1-bit, stretched, pens, blur):
        // the robustness suite.
        .target(name: "ScanKinds", dependencies: ["Imaging", "NeuralNetwork", "Parallel"]),

        // rename without replacing (renameat2), which Glibc's Swift module lacks.
        .target(name: "CDaemonSupport"),

        // The daemon: watcher, claim/lifecycle, batches, results CSV, control API.
        .target(
            name: "DigitdCore",
            dependencies: [
                "Imaging", "NeuralNetwork", "Parallel", "ScanKinds", "CDaemonSupport", "CSystemd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // The control socket's connection limit and the peer's credentials (SO_PEERCRED).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // `digitctl review`: the review station's web server and pages, a client of the control API.
        .target(
            name: "ReviewStation",
            dependencies: ["DigitdCore", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")]
        ),

        .executableTarget(
            name: "digitd",
            dependencies: [
                "DigitdCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "digitctl",
            dependencies: [
                "DigitdCore",
                "ReviewStation",
                .product(name: "Hummingbird", package: "hummingbird"),
                "Imaging",
                "NeuralNetwork",
                "ScanKinds",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test/benchmark support only: writes any PNG/JPEG variant to memory.
        .target(name: "CImageFixtures", dependencies: ["CLibPNG", "CLibJPEG"], path: "Tests/CImageFixtures"),

        // What every test target shares, one copy of each: PNG/JPEG fixture writers and byte
        // surgery, MNIST, seeded generators, temp folders and roots, and the
        // harness that runs the real digitd. A test target holding no tests, so that only
        // `swift test` builds it: the harness needs DigitdCore's internals (@testable), which a
        // plain target could not have under `swift build` (no -enable-testing there).
        .testTarget(
            name: "TestSupport",
            dependencies: ["CImageFixtures", "CZlib", "Imaging", "NeuralNetwork", "ScanKinds", "DigitdCore"],
            path: "Tests/TestSupport"
        ),

        .testTarget(
            name: "NeuralNetworkTests",
            dependencies: ["NeuralNetwork", "CKernels", "Imaging", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "ImagingTests",
            dependencies: ["Imaging", "CZlib", "NeuralNetwork", "ScanKinds", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // The daemon's parts in process: config, names and claims, the results CSV, corrections,
        // the registry, the replay reservoir, fine-tunes and their gate.
        .testTarget(
            name: "DigitdCoreTests",
            dependencies: ["DigitdCore", "Imaging", "NeuralNetwork", "ScanKinds", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The real digitd (built beside the test bundle) on temp roots: DESIGN §3 under kill -9,
        // poison pills, SIGTERM and SIGHUP, bursts; the control socket, metrics, damaged state.
        .testTarget(
            name: "DigitdEndToEndTests",
            dependencies: ["DigitdCore", "NeuralNetwork", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // Engine speed: inference and training images/s.
        .executableTarget(name: "NetworkBench", dependencies: ["NeuralNetwork"], path: "bench/network/NetworkBench"),

        // `make bench`: decode+normalize images/s beside Pillow (bench/imaging/imaging.sh).
        .executableTarget(name: "ImagingBench", dependencies: ["Imaging"], path: "bench/imaging/ImagingBench"),

        // `make fuzz`: libFuzzer over decode → normalize → classify (built with -sanitize=fuzzer).
        .executableTarget(name: "ScanFuzzer", dependencies: ["Imaging", "NeuralNetwork"], path: "Fuzz/ScanFuzzer"),
    ]
)
