// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "ctxaudit",
  products: [
    .executable(name: "ctxaudit", targets: ["ctxaudit"]),
    .library(name: "ContextAudit", targets: ["ContextAudit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CLibYAML", pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
    .systemLibrary(
      name: "CLibArchive", pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
    .target(name: "ContextAudit", dependencies: ["CLibYAML", "CLibArchive"]),
    .executableTarget(
      name: "ctxaudit",
      dependencies: [
        "ContextAudit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "ContextAuditTests", dependencies: ["ContextAudit"], path: "Tests/ContextAuditTests"),
    // In-process GGUF header timing for scripts/bench.py (BENCHMARKS.md).
    .executableTarget(name: "BenchGGUF", dependencies: ["ContextAudit"]),
    // libFuzzer targets (scripts/fuzz.sh; docs/fuzzing.md). Each is one file, not main.swift,
    // so a plain `swift build` links it as a harmless no-op; build one with
    // `swift build --scratch-path .build-fuzz --product FuzzJSON --sanitize=fuzzer --sanitize=address`.
    .target(name: "FuzzSupport", dependencies: ["ContextAudit"]),
    .executableTarget(name: "FuzzJSON", dependencies: ["ContextAudit", "FuzzSupport"]),
    .executableTarget(name: "FuzzGGUF", dependencies: ["ContextAudit", "FuzzSupport"]),
    .executableTarget(name: "FuzzYAML", dependencies: ["ContextAudit", "FuzzSupport"]),
    .executableTarget(name: "FuzzArchive", dependencies: ["ContextAudit", "FuzzSupport"]),
    .executableTarget(name: "FuzzRuleExpr", dependencies: ["ContextAudit", "FuzzSupport"]),
    .executableTarget(name: "FuzzAudit", dependencies: ["ContextAudit", "FuzzSupport"]),
  ]
)
