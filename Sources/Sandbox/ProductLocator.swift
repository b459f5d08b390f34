import Foundation

/// Finds the package's built executables (dmsim, dmswitchd, dmswitchctl,
/// dmsandbox) for integration tests.
///
/// `swift build --build-tests` (what `make test` runs) puts them in the same
/// directory as the test bundle: `.build/debug` or `.build/<triple>/debug`.
/// `DMSWITCH_PRODUCTS_DIR` overrides the search.
public enum ProductLocator {
    /// The path of executable `name`, or an error that says how to build it.
    public static func executable(_ name: String) throws(SandboxError) -> String {
        let candidates = searchDirectories()
        for directory in candidates {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw SandboxError("find the built executable \(name)",
                           "it is not in \(candidates.joined(separator: " or ")); run `swift build --build-tests` (`make test` does) first")
    }

    /// Where to look, in order.
    static func searchDirectories() -> [String] {
        var directories: [String] = []
        if let override = ProcessInfo.processInfo.environment["DMSWITCH_PRODUCTS_DIR"], !override.isEmpty {
            directories.append(override)
        }
        // The running test binary (`.build/<triple>/debug/<package>PackageTests.xctest`).
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = (executable as NSString).deletingLastPathComponent
            // On platforms where the bundle is a directory, step out of it.
            while directory.contains(".xctest") {
                directory = (directory as NSString).deletingLastPathComponent
            }
            directories.append(directory)
        }
        let bundle = (Bundle.main.bundlePath as NSString).deletingLastPathComponent
        if !directories.contains(bundle) { directories.append(bundle) }
        return directories
    }
}
