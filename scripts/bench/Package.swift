// swift-tools-version:6.0
//
// Benchmark executables for scripts/bench-train.sh. They build against the
// repository's own IDCCore sources (Sources/ here holds symlinks to
// ../../Sources/{COpenBLAS,CKissFFT,IDCCore}) in release mode, with the flags
// of the main package.

import PackageDescription

let release: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
  name: "idc-bench",
  platforms: [.macOS(.v13)],
  targets: [
    .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas"),
    .systemLibrary(name: "CKissFFT", path: "Sources/CKissFFT", pkgConfig: "kissfft-float"),
    .target(name: "IDCCore", dependencies: ["COpenBLAS", "CKissFFT"], path: "Sources/IDCCore", swiftSettings: release),
    .executableTarget(name: "BenchTrain", dependencies: ["IDCCore"], path: "Sources/BenchTrain", swiftSettings: release),
  ]
)
