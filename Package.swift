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
  ]
)
