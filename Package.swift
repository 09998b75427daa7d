// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "digitd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "digitctl", targets: ["digitctl"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries (Debian packages installed by scripts/bootstrap.sh).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // What Swift cannot do itself: calls into libpng/libjpeg under setjmp.
        .target(name: "CImageCodecs", dependencies: ["CLibPNG", "CLibJPEG"]),

        // Decode, normalize, IDX files.
        .target(name: "Imaging", dependencies: ["CImageCodecs", "CZlib"]),

        // Register-blocked AVX-512 / AVX2 matrix kernels (picked at run time by CPU) and maxpool.
        .target(name: "CKernels"),
        // The seed CNN: layers forward + backward, Adam, augmentation, model file.
        .target(name: "NeuralNetwork", dependencies: ["CBLAS", "CKernels", .product(name: "Crypto", package: "swift-crypto")]),

        .executableTarget(
            name: "digitctl",
            dependencies: [
                "Imaging",
                "NeuralNetwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test/benchmark support only: writes any PNG/JPEG variant to memory.
        .target(name: "CImageFixtures", dependencies: ["CLibPNG", "CLibJPEG"], path: "Tests/CImageFixtures"),

        .testTarget(
            name: "NeuralNetworkTests",
            dependencies: ["NeuralNetwork", "CKernels", "Imaging", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CImageFixtures", "CZlib"]),

        // Engine speed: inference and training images/s.
        .executableTarget(name: "NetworkBench", dependencies: ["NeuralNetwork"], path: "Benchmarks/NetworkBench"),

        // `make bench`: decode+normalize images/s beside Pillow (bench/imaging.sh).
        .executableTarget(name: "ImagingBench", dependencies: ["Imaging"], path: "Benchmarks/ImagingBench"),
    ]
)
