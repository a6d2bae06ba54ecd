// swift-tools-version:6.0
// aiotwin: a research workbench for adaptive federated learning and QoS-aware routing.
// Module map (dependencies point down): aiotwin, aiotwin-proxy (CLIs) → ProxyCommand, Workbench
// → Federation, Routing, Storage, Reporting, Scripting → Learning → C bridges.
import PackageDescription

/// The numeric engine is compiled with optimisation even in debug builds: the tests and the
/// debug binary train real models, and unoptimised Swift loops are 20-50x slower.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "aiotwin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "aiotwin", targets: ["aiotwin"]),
        .executable(name: "aiotwin-proxy", targets: ["aiotwin-proxy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C bridges: system libraries with static-inline shims for the macros Swift cannot import.
        .systemLibrary(name: "CLua", path: "Sources/CBridges/CLua", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/CBridges/COpenBLAS",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CBridges/CHDF5",
                       pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CBridges/CZlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Core.
        .target(name: "Learning", dependencies: ["COpenBLAS", "CZlib"],
                swiftSettings: optimizedInDebug),
        // Lua is linked from liblua5.4-dev's static archive: a balancer plugin runs on every proxied
        // request, and the VM beside its callers (no PLT, one image) measured 1.7% → 1.1% CPU per
        // request; profiles also see the VM's internal functions. (`-l:` is GNU ld syntax: other
        // platforms link the shared library.)
        .target(name: "CLuaSupport", dependencies: ["CLua"], path: "Sources/CBridges/CLuaSupport",
                linkerSettings: [.linkedLibrary(":liblua5.4.a", .when(platforms: [.linux])), .linkedLibrary("m"),
                                 .linkedLibrary("lua5.4", .when(platforms: [.macOS]))]),
        .target(name: "Scripting", dependencies: ["CLua", "CLuaSupport"]),
        .target(name: "Storage", dependencies: ["CHDF5", "Learning"]),
        .target(name: "Federation", dependencies: ["Learning"], swiftSettings: optimizedInDebug),
        .target(name: "Routing", dependencies: [
            "Learning", .product(name: "Yams", package: "Yams"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: optimizedInDebug),
        .target(name: "Reporting"),

        // The Lua face of everything, plugins, results and notebooks.
        .target(name: "Workbench", dependencies: ["Learning", "Federation", "Routing", "Scripting", "Storage", "Reporting"]),

        // A trivial HTTP upstream for proxy benchmarks and emulation.
        .executableTarget(name: "proxy-bench-upstream", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio")]),

        // The reverse proxy's command line, shared by `aiotwin proxy serve` and `aiotwin-proxy`.
        .target(name: "ProxyCommand", dependencies: [
            "Routing", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log")]),
        // The proxy alone (no BLAS, HDF5, Lua): small and quick to start on every node.
        .executableTarget(name: "aiotwin-proxy", dependencies: [
            "ProxyCommand", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // The command-line tool.
        .executableTarget(name: "aiotwin", dependencies: [
            "Learning", "Federation", "Routing", "Scripting", "Storage", "Reporting", "Workbench", "ProxyCommand",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "LearningTests", dependencies: ["Learning"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench"]),
        .testTarget(name: "FederationTests", dependencies: ["Federation", "Learning"]),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "Learning"]),
        .testTarget(name: "ProxyTests", dependencies: [
            "Routing", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log")]),
        // A child process for StorageTests: crash after flush, silent errors, handle-leak check.
        .executableTarget(name: "storage-test-helper", dependencies: ["Storage"], path: "Tests/Helpers/storage-test-helper"),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "storage-test-helper"]),
        // Through the real binary; NIO for the test upstreams and raw HTTP clients of `proxy serve`.
        .testTarget(name: "IntegrationTests", dependencies: [
            "Learning", "Storage", .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
    ]
)
