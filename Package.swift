// swift-tools-version:6.0
//
// idc — a workbench for interactive deep clustering (IDC, Liu et al., NeurIPS 2024).
// Licensed under Apache-2.0.

import PackageDescription


let package = Package(
  name: "idc",
  platforms: [.macOS(.v13)],
  // MARK: - Public products
  products: [
    .executable(name: "idc", targets: ["idc"]),
    .library(name: "IDCCore", targets: ["IDCCore"]),
    .library(name: "IDCData", targets: ["IDCData"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // MARK: - Implementation details: C behind small doors
    .systemLibrary(
      name: "COpenBLAS",
      path: "Sources/COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(
      name: "CKissFFT",
      path: "Sources/CKissFFT",
      pkgConfig: "kissfft-float",
      providers: [.apt(["libkissfft-dev"])]
    ),
    .systemLibrary(
      name: "CZeroMQ",
      path: "Sources/CZeroMQ",
      pkgConfig: "libzmq",
      providers: [.apt(["libzmq3-dev"])]
    ),
    .target(name: "CKernels", path: "Sources/CKernels"),
    .target(
      name: "CEditLine",
      path: "Sources/CEditLine",
      linkerSettings: [.linkedLibrary("edit")]
    ),

    // MARK: - Implementation details: Swift modules, each importing only those above it
    .target(name: "IDCText"),
    .target(name: "IDCCore", dependencies: ["COpenBLAS", "CKissFFT", "CKernels"]),
    .target(
      name: "IDCData",
      dependencies: ["IDCCore", "IDCText", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
    ),
    .target(name: "IDCLang", dependencies: ["IDCText"]),
    .target(name: "IDCPlot", dependencies: ["IDCCore"]),
    .target(name: "IDCTerminal", dependencies: ["CEditLine"]),
    .target(
      name: "IDCCommands",
      dependencies: ["IDCCore", "IDCData", "IDCLang", "IDCPlot", "IDCText"]
    ),
    .target(
      name: "IDCKernel",
      dependencies: [
        "CZeroMQ", "IDCCommands", "IDCLang", "IDCCore", "IDCPlot", "IDCTerminal",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "idc",
      dependencies: [
        "IDCCommands", "IDCTerminal", "IDCLang", "IDCCore", "IDCData", "IDCKernel",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Tests, one target per module plus end-to-end tests of the binary
    .testTarget(name: "IDCCoreTests", dependencies: ["IDCCore", "IDCData"], exclude: ["Fixtures"]),
    .testTarget(name: "IDCDataTests", dependencies: ["IDCData"], exclude: ["Fixtures"]),
    .testTarget(name: "IDCLangTests", dependencies: ["IDCLang", "IDCText"]),
    .testTarget(name: "IDCPlotTests", dependencies: ["IDCPlot"]),
    .testTarget(name: "IDCCommandsTests", dependencies: ["IDCCommands", "IDCLang", "IDCCore", "IDCData"], exclude: ["Scripts"]),
    .testTarget(name: "IDCTerminalTests", dependencies: ["IDCTerminal"]),
    .testTarget(name: "IDCKernelTests", dependencies: ["IDCKernel"]),
    .testTarget(name: "EndToEndTests", dependencies: ["IDCCore", "IDCData", "idc"]),
  ]
)
