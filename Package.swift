// swift-tools-version:6.0
import PackageDescription

// Module order (a module imports only modules above it):
//   CEdit → MLDiagnostics → MLLanguage → MLShell → MLLineEdit → mlsh
let package = Package(
    name: "mlsh",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "mlsh", targets: ["mlsh"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "MLDiagnostics"),
        .target(name: "MLLanguage", dependencies: ["MLDiagnostics"]),
        .target(name: "MLShell", dependencies: ["MLDiagnostics", "MLLanguage"]),
        .target(name: "MLLineEdit", dependencies: ["CEdit"]),
        .executableTarget(name: "mlsh", dependencies: [
            "MLShell", "MLLineEdit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "MLShellTests", dependencies: ["MLShell", "MLLanguage", "MLDiagnostics", "mlsh"]),
    ]
)
