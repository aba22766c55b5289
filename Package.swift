// swift-tools-version:6.0
import PackageDescription

// Module order (a module imports only modules above it):
//   CEdit, CZlib, CLapack, MLAsyncBridge → MLDiagnostics → MLFrame → MLFrameIO, MLDatabase, MLRender, MLPrep, MLLearn → MLModel
//   → MLServeProtocol → MLServe → MLLanguage → MLONNX → MLShell → MLLineEdit → mlsh
let package = Package(
    name: "mlsh",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "mlsh", targets: ["mlsh"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLapack", pkgConfig: "lapacke", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "MLDiagnostics"),
        // Synchronous commands waiting on async work (the server, the database) off Swift's pool.
        .target(name: "MLAsyncBridge"),
        .target(name: "MLFrame"),
        // The parse loop works on raw memory it owns; exclusivity checks there cost a third of the time.
        .target(name: "MLFrameIO", dependencies: ["MLDiagnostics", "MLFrame", "CZlib"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Tables from and to PostgreSQL (postgres-nio): queries streamed into frames, COPY out.
        .target(name: "MLDatabase", dependencies: [
            "MLDiagnostics", "MLFrame", "MLAsyncBridge",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MLRender", dependencies: ["MLDiagnostics", "MLFrame", .product(name: "Ink", package: "Ink")]),
        .target(name: "MLPrep", dependencies: ["MLDiagnostics", "MLFrame"]),
        .target(name: "MLLearn", dependencies: ["MLDiagnostics", "MLFrame", "CLapack"]),
        // The fitted model as a value, its session-free prediction path and its file format.
        .target(name: "MLModel", dependencies: [
            "MLDiagnostics", "MLFrame", "MLFrameIO", "MLPrep", "MLLearn", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // The serving protocols' bodies to and from one internal batch: no HTTP here, so it is
        // fuzzed and tested alone.
        // Drift statistics (as Evidently and scipy compute them), latency histograms, a clock.
        .target(name: "MLMonitor", dependencies: [
            "MLModel", "MLFrame", "MLPrep", "MLRender",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        .target(name: "MLServeProtocol", dependencies: ["MLDiagnostics", "MLFrame", "MLPrep", "MLModel"]),
        // The HTTP server (Hummingbird): routes, tokens, metrics, the running servers.
        .target(name: "MLServe", dependencies: [
            "MLServeProtocol", "MLMonitor", "MLModel", "MLPrep", "MLDiagnostics", "MLFrame", "MLRender", "MLAsyncBridge",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MLLanguage", dependencies: ["MLDiagnostics"]),
        // A model and its fitted recipe as one ONNX graph. Generated/onnx-ml.pb.swift is made once by
        // scripts/gen-onnx-proto and committed (the generator is not built here).
        .target(name: "MLONNX", dependencies: [
            "MLDiagnostics", "MLFrame", "MLPrep", "MLLearn", "MLModel", "MLLanguage",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "MLShell", dependencies: [
            "MLDiagnostics", "MLLanguage", "MLFrame", "MLFrameIO", "MLRender", "MLPrep", "MLLearn", "MLModel",
            "MLServeProtocol", "MLMonitor", "MLServe", "MLONNX", "MLDatabase",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "MLLineEdit", dependencies: ["CEdit"]),
        .executableTarget(name: "mlsh", dependencies: [
            "MLShell", "MLLineEdit", "MLServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // What the fuzz harnesses share: libFuzzer's driver, or replaying inputs without it.
        .target(name: "FuzzDriver"),
        // The model-file decoder under libFuzzer (scripts/fuzz), or replaying inputs without it.
        .executableTarget(name: "FuzzModelFile", dependencies: ["FuzzDriver", "MLModel", .product(name: "Crypto", package: "swift-crypto")]),
        // The CSV reader, the JSON Lines reader, and the lexer and parser, the same way.
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", "MLFrameIO", "MLFrame", "MLDiagnostics"]),
        .executableTarget(name: "FuzzJSONLines", dependencies: ["FuzzDriver", "MLFrameIO", "MLFrame", "MLDiagnostics"]),
        .executableTarget(name: "FuzzParser", dependencies: ["FuzzDriver", "MLLanguage", "MLDiagnostics"]),
        // The serving protocols' body decoders, from bytes through the model to the answer.
        .executableTarget(name: "FuzzServeBodies", dependencies: ["FuzzDriver", "MLServeProtocol", "MLModel"]),
        .testTarget(name: "MLShellTests", dependencies: ["MLShell", "MLLanguage", "MLDiagnostics", "MLFrame", "MLFrameIO", "MLRender", "MLPrep", "MLLearn", "MLModel", "mlsh", "CZlib",
                                                         "MLServeProtocol", "MLMonitor", "MLServe", "MLONNX", "MLDatabase",
                                                         .product(name: "Crypto", package: "swift-crypto"),
                                                         .product(name: "HummingbirdTesting", package: "hummingbird")],
                    exclude: ["Snapshots"]),
    ]
)
