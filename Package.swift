// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
]
let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let lifecycle: [Target.Dependency] = [
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
]
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .executable(name: "heraldctl", targets: ["heraldctl"]),
        .executable(name: "herald-ingress", targets: ["herald-ingress"]),
        .executable(name: "herald-authorizer", targets: ["herald-authorizer"]),
        .executable(name: "herald-batcher", targets: ["herald-batcher"]),
        .executable(name: "herald-ws-edge", targets: ["herald-ws-edge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // Value types shared by every stage: events, channels, priorities, principals. No NIO.
        .target(name: "HeraldModel", swiftSettings: strict),
        // Length-prefixed JSON between stages: framing, messages, the per-event codec.
        .target(
            name: "HeraldWire",
            dependencies: ["HeraldModel", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "HeraldConfig", dependencies: ["HeraldModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        // Pusher-compatible signatures: HTTP API requests, channel authorization, user sign-in, webhooks. Pure.
        .target(
            name: "HeraldAppSigning", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(name: "HeraldSystemd", dependencies: ["CSystemd", log] + nio, swiftSettings: strict),
        .target(name: "HeraldAdmin", dependencies: ["HeraldWire"] + nio + [log], swiftSettings: strict),
        .target(
            name: "HeraldDaemonKit",
            dependencies: [
                "HeraldModel", "HeraldWire", "HeraldConfig", "HeraldSystemd", "HeraldAdmin", log, argumentParser,
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ] + nio + lifecycle,
            swiftSettings: strict
        ),
        .target(
            name: "HeraldIngress",
            dependencies: ["HeraldDaemonKit", "HeraldAppSigning", .product(name: "NIOHTTP1", package: "swift-nio")]
                + nio,
            swiftSettings: strict
        ),
        // Client tokens: claims, keys (HS256 secret, RS256/ES256 public keys), the issuer and the verifier.
        .target(
            name: "HeraldTokens",
            dependencies: ["HeraldModel", "HeraldConfig", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: strict
        ),
        .target(
            name: "HeraldAuthorizer",
            dependencies: [
                "HeraldDaemonKit", "HeraldTokens", "HeraldConfig", "HeraldModel", "HeraldWire", "HeraldAppSigning",
                log,
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ] + nio,
            swiftSettings: strict
        ),
        .target(
            name: "HeraldBatcher",
            dependencies: [
                "HeraldDaemonKit", "HeraldAppSigning", "HeraldConfig", log,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ] + nio,
            swiftSettings: strict
        ),
        .target(
            name: "HeraldEdge",
            dependencies: [
                "HeraldDaemonKit", "HeraldSystemd", .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ] + nio,
            swiftSettings: strict
        ),
        // Herald's own client protocol (`/ws`): JSON commands with acks.
        .target(
            name: "HeraldNativeProtocol",
            dependencies: ["HeraldEdge", "HeraldDaemonKit", "HeraldModel", "HeraldWire"] + nio,
            swiftSettings: strict),
        // The Pusher Channels protocol (`/app/{key}`), for pusher-js, Laravel Echo and pysher.
        .target(
            name: "HeraldPusher",
            dependencies: [
                "HeraldEdge", "HeraldAppSigning", "HeraldConfig", "HeraldDaemonKit", "HeraldModel", "HeraldWire",
            ] + nio,
            swiftSettings: strict),
        .target(
            name: "HeraldCtlCommands",
            dependencies: ["HeraldDaemonKit", "HeraldTokens", argumentParser],
            swiftSettings: strict
        ),
        // Socket.IO v4 (`/socket.io/`): Engine.IO v4 and Socket.IO v5 packets, and the session over the edge's core.
        .target(
            name: "HeraldSocketIO",
            dependencies: [
                "HeraldEdge", "HeraldDaemonKit", "HeraldModel", "HeraldWire",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(name: "HeraldTestSupport", dependencies: ["HeraldDaemonKit"], swiftSettings: strict),

        .executableTarget(name: "herald-ingress", dependencies: ["HeraldIngress"], swiftSettings: strict),
        .executableTarget(name: "herald-authorizer", dependencies: ["HeraldAuthorizer"], swiftSettings: strict),
        .executableTarget(name: "herald-batcher", dependencies: ["HeraldBatcher"], swiftSettings: strict),
        .executableTarget(
            name: "herald-ws-edge",
            dependencies: ["HeraldEdge", "HeraldNativeProtocol", "HeraldPusher", "HeraldSocketIO", "HeraldDaemonKit"],
            swiftSettings: strict),
        .executableTarget(name: "heraldctl", dependencies: ["HeraldCtlCommands"], swiftSettings: strict),
        .executableTarget(name: "herald", dependencies: ["HeraldDaemonKit", argumentParser], swiftSettings: strict),
        // `make bench`: decision and codec costs on one core (docs/performance.md).
        .executableTarget(
            name: "herald-bench",
            dependencies: [
                "HeraldAuthorizer", "HeraldConfig", "HeraldDaemonKit", "HeraldModel", "HeraldTokens", "HeraldWire",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/herald-bench", swiftSettings: strict),

        .testTarget(name: "HeraldModelTests", dependencies: ["HeraldModel"], swiftSettings: strict),
        .testTarget(
            name: "HeraldWireTests",
            dependencies: ["HeraldWire", "HeraldTestSupport", .product(name: "NIOTestUtils", package: "swift-nio")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "HeraldConfigTests", dependencies: ["HeraldConfig"], swiftSettings: strict),
        .testTarget(name: "HeraldSystemdTests", dependencies: ["HeraldSystemd"], swiftSettings: strict),
        .testTarget(
            name: "HeraldDaemonKitTests", dependencies: ["HeraldDaemonKit", "HeraldTestSupport"] + nio,
            swiftSettings: strict),
        .testTarget(
            name: "HeraldAdminTests", dependencies: ["HeraldAdmin", "HeraldSystemd"] + nio, swiftSettings: strict),
        .testTarget(
            name: "HeraldAuthorizerTests",
            dependencies: [
                "HeraldAuthorizer", "HeraldConfig", "HeraldModel", "HeraldWire", "HeraldDaemonKit", "HeraldTokens",
                "HeraldAppSigning", log,
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ] + nio,
            swiftSettings: strict),
        .testTarget(
            name: "HeraldTokensTests",
            dependencies: [
                "HeraldTokens", "HeraldConfig", "HeraldModel", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "HeraldBatcherTests", dependencies: ["HeraldBatcher"], swiftSettings: strict),
        .testTarget(name: "HeraldAppSigningTests", dependencies: ["HeraldAppSigning"], swiftSettings: strict),
        .testTarget(
            name: "HeraldIngressTests",
            dependencies: [
                "HeraldIngress", "HeraldAppSigning", "HeraldDaemonKit", "HeraldConfig", "HeraldModel", "HeraldWire",
            ] + nio,
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeraldNativeProtocolTests",
            dependencies: ["HeraldNativeProtocol", "HeraldEdge", "HeraldConfig", "HeraldDaemonKit"] + nio,
            swiftSettings: strict),
        .testTarget(
            name: "HeraldPusherTests",
            dependencies: [
                "HeraldPusher", "HeraldEdge", "HeraldAppSigning", "HeraldConfig", "HeraldModel", "HeraldWire",
            ]
                + nio,
            swiftSettings: strict),
        .testTarget(
            name: "HeraldEdgeTests",
            dependencies: [
                "HeraldEdge", "HeraldNativeProtocol", "HeraldDaemonKit", "HeraldSystemd", "HeraldConfig", "HeraldModel",
                "HeraldWire",
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ] + nio,
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeraldSocketIOTests",
            dependencies: [
                "HeraldSocketIO", "HeraldEdge", "HeraldConfig", "HeraldWire", "HeraldModel", "HeraldTestSupport",
                "HeraldDaemonKit",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "HeraldCtlCommandsTests", dependencies: ["HeraldCtlCommands"], swiftSettings: strict),
    ]
)
