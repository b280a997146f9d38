// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CareDocs",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "caredocs", targets: ["caredocs"]),
        .library(name: "Typesetting", targets: ["Typesetting"]),
        .library(name: "Templating", targets: ["Templating"]),
        .library(name: "CaresDocuments", targets: ["CaresDocuments"]),
        .library(name: "Deadlines", targets: ["Deadlines"]),
        .library(name: "Mailroom", targets: ["Mailroom"]),
        .library(name: "RenderWorkers", targets: ["RenderWorkers"]),
        .library(name: "CareDocsServer", targets: ["CareDocsServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo-ft",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .systemLibrary(
            name: "CHarfBuzz",
            path: "Sources/CHarfBuzz",
            pkgConfig: "harfbuzz",
            providers: [.apt(["libharfbuzz-dev"])]
        ),
        .systemLibrary(
            name: "CFreeType",
            path: "Sources/CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"])]
        ),
        .systemLibrary(
            name: "CFriBidi",
            path: "Sources/CFriBidi",
            pkgConfig: "fribidi",
            providers: [.apt(["libfribidi-dev"])]
        ),
        .systemLibrary(
            name: "CICU",
            path: "Sources/CICU",
            pkgConfig: "icu-uc",
            providers: [.apt(["libicu-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibDeflate",
            path: "Sources/CLibDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        .target(name: "CICUShim", dependencies: ["CICU"]),
        .target(name: "CCairoDeflate", dependencies: ["CZlib"]),
        .target(name: "CCairoNumbers"),
        .target(name: "CCairoFontTables", dependencies: ["CFreeType"]),
        .target(
            name: "Typesetting",
            dependencies: [
                "CCairo", "CHarfBuzz", "CFreeType", "CFriBidi", "CICUShim", "CZlib", "CCairoDeflate", "CLibDeflate",
                "CCairoNumbers", "CCairoFontTables",
            ],
            exclude: ["Resources/README.md"],
            resources: [.copy("Resources/sRGB.icc")]
        ),
        .target(name: "Specimens", dependencies: ["Typesetting", "CCairo"]),
        .target(
            name: "Templating",
            dependencies: [
                "Typesetting", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CaresDocuments",
            dependencies: ["Typesetting", "Templating", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Schema/care-record.schema.json")]
        ),
        .target(
            name: "Deadlines",
            dependencies: [
                "CaresDocuments",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "Mailroom",
            dependencies: [
                "Typesetting",
                "Templating",
                "CaresDocuments",
                "Deadlines",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "RenderWorkers",
            dependencies: ["Typesetting", "Templating", "CaresDocuments"]
        ),
        .target(
            name: "CareDocsServer",
            dependencies: [
                "Typesetting",
                "Templating",
                "CaresDocuments",
                "Deadlines",
                "RenderWorkers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "caredocs",
            dependencies: [
                "Typesetting",
                "Templating",
                "CaresDocuments",
                "Deadlines",
                "Mailroom",
                "RenderWorkers",
                "CareDocsServer",
                "Specimens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TypesettingTests",
            dependencies: [
                "Typesetting", "Specimens", "CCairoDeflate", "CCairoNumbers", "CCairoFontTables", "CFreeType", "CZlib",
            ]
        ),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        // swift-mustache, the library the templates were written for, is the reference the tests
        // compare `TemplateProgram` with (TemplateProgramTests).
        .testTarget(
            name: "CaresDocumentsTests",
            dependencies: ["CaresDocuments", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Records")]
        ),
        .testTarget(name: "RenderWorkersTests", dependencies: ["RenderWorkers", "CaresDocuments", "Typesetting"]),
        .testTarget(
            name: "CareDocsServerTests",
            dependencies: [
                "CareDocsServer",
                "CaresDocuments",
                "Deadlines",
                "RenderWorkers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "DeadlinesTests",
            dependencies: [
                "Deadlines",
                "Mailroom",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
