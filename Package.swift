// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "digitd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "digitctl", targets: ["digitctl"]),
        .library(name: "Imaging", targets: ["Imaging"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries (Debian packages installed by scripts/bootstrap.sh).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // What Swift cannot do itself: calls into libpng/libjpeg under setjmp.
        .target(name: "CImageCodecs", dependencies: ["CLibPNG", "CLibJPEG"]),

        // Decode, normalize, IDX files.
        .target(name: "Imaging", dependencies: ["CImageCodecs", "CZlib"]),

        .executableTarget(
            name: "digitctl",
            dependencies: [
                "Imaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),

        // `make bench`: decode+normalize images/s beside Pillow (bench/imaging.sh).
        .executableTarget(name: "ImagingBench", dependencies: ["Imaging"], path: "Benchmarks/ImagingBench"),
    ]
)
