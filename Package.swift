// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target of the package.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Briefing",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Briefing", targets: ["Briefing"]),
    .library(name: "BriefingAnalytics", targets: ["BriefingAnalytics"]),
    .library(name: "BriefingLayout", targets: ["BriefingLayout"]),
    .library(name: "BriefingSQLite", targets: ["BriefingSQLite"]),
    .executable(name: "briefing", targets: ["BriefingCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // Loading and aggregation of tidy observations. Foundation, and CEngineSupport for the query
    // engine's cache prefetch hints and 16-byte compares.
    .target(name: "BriefingAnalytics", dependencies: ["CEngineSupport"], swiftSettings: swiftSettings),
    // Inline C functions: __builtin_prefetch, and an SSE2 byte match (header only, nothing to link).
    .systemLibrary(name: "CEngineSupport"),
    // SQLite, found through pkg-config (sqlite3.pc).
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    // SQLite databases as data sources, and `briefing import`: the only module that imports CSQLite.
    .target(name: "BriefingSQLite", dependencies: ["BriefingAnalytics", "CSQLite"], swiftSettings: swiftSettings),
    // What to draw: geometry, frames, text styles, scales, blocks and pagination. No C.
    .target(name: "BriefingLayout", swiftSettings: swiftSettings),
    // pangocairo brings cairo (with its PDF, SVG and image surfaces), pango and glib.
    .systemLibrary(
      name: "CCairo",
      pkgConfig: "pangocairo",
      providers: [.apt(["libcairo2-dev", "libpango1.0-dev", "libdeflate-dev"])]
    ),
    // How to draw it: the only module that imports CCairo.
    .target(name: "BriefingCairo", dependencies: ["BriefingLayout", "CCairo"], swiftSettings: swiftSettings),
    // The composition root: layout file -> data -> blocks -> pages -> backend.
    .target(
      name: "Briefing",
      dependencies: [
        "BriefingAnalytics", "BriefingLayout", "BriefingCairo", "BriefingSQLite",
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "BriefingCLI",
      dependencies: ["Briefing", "BriefingSQLite", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: swiftSettings
    ),
    // scripts/check-embed.sh's comparison of a browser's screenshot with a chart's PNG export; a
    // tool of the repository, not a product of the package.
    .executableTarget(name: "png-diff", dependencies: ["BriefingCairo"], path: "Tools/png-diff", swiftSettings: swiftSettings),
    // A recording renderer, a fixed-advance text measurer and geometry assertions for tests.
    .target(name: "BriefingTestSupport", dependencies: ["BriefingLayout"], swiftSettings: swiftSettings),
    .testTarget(name: "BriefingAnalyticsTests", dependencies: ["BriefingAnalytics"], swiftSettings: swiftSettings),
    .testTarget(name: "BriefingSQLiteTests", dependencies: ["BriefingSQLite", "BriefingAnalytics"], swiftSettings: swiftSettings),
    .testTarget(
      name: "BriefingLayoutTests", dependencies: ["BriefingLayout", "BriefingTestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "BriefingCairoTests", dependencies: ["BriefingCairo", "BriefingLayout", "BriefingTestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "BriefingTests",
      dependencies: ["Briefing", "BriefingAnalytics", "BriefingLayout", "BriefingTestSupport", "BriefingCLI"],
      swiftSettings: swiftSettings),
  ]
)

// libFuzzer harnesses, only with BRIEFING_FUZZ set (scripts/fuzz.sh builds them with
// `--sanitize=fuzzer --sanitize=address`): libFuzzer supplies `main`, so a plain build must not
// link them. Each is one file that hands its input to a `package` entry point.
if Context.environment["BRIEFING_FUZZ"] != nil {
  // One `swift build` then builds every harness with one set of flags (one build per product
  // recompiled the libraries, at times without coverage); the CLI, png-diff and the tests, whose
  // own `main` would clash with libFuzzer's, are left out of such a build.
  package.targets.removeAll { $0.name == "BriefingCLI" || $0.name == "png-diff" || $0.type == .test }
  package.products.removeAll { $0.name == "briefing" }
  package.targets += [
    .executableTarget(name: "FuzzCSV", dependencies: ["BriefingAnalytics"], path: "Fuzz/CSV", swiftSettings: swiftSettings),
    .executableTarget(name: "FuzzNumbers", dependencies: ["BriefingAnalytics"], path: "Fuzz/Numbers", swiftSettings: swiftSettings),
    .executableTarget(name: "FuzzJSON", dependencies: ["BriefingAnalytics"], path: "Fuzz/JSON", swiftSettings: swiftSettings),
    .executableTarget(
      name: "FuzzLayout", dependencies: ["Briefing", "BriefingTestSupport"], path: "Fuzz/Layout", swiftSettings: swiftSettings),
  ]
}
