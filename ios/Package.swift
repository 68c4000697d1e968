// swift-tools-version:5.10
// Tandem for Swift: the bindings uniffi generates from tandem-ffi, over the Rust library built as
// an xcframework, plus a thin Swift layer (Sources/Tandem/Tandem+Async.swift, Tandem+Parallel.swift).
//
// Generated code is not committed. Before building, on a Mac (see README.md):
//   scripts/bindings --swift-package     copies tandem_ffi.swift into Sources/Tandem/Generated/
//                                        and the C header + module map into Frameworks/headers/
//   xcodebuild -create-xcframework ...   makes Frameworks/TandemFFI.xcframework from the
//                                        static libraries cargo builds for iOS and the simulator
import PackageDescription

let package = Package(
    name: "Tandem",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Tandem", targets: ["Tandem"]),
    ],
    targets: [
        // libtandem_ffi.a for each platform, with tandem_ffiFFI.h and its module map (the C
        // module `tandem_ffiFFI` the generated Swift imports).
        .binaryTarget(name: "TandemFFI", path: "Frameworks/TandemFFI.xcframework"),
        // Generated/tandem_ffi.swift (the bindings), Tandem+Async.swift and Tandem+Parallel.swift.
        .target(name: "Tandem", dependencies: ["TandemFFI"], path: "Sources/Tandem"),
    ]
)
