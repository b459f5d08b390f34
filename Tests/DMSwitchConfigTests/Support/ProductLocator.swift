import Foundation

/// Finds a built executable of this package next to the test bundle.
///
/// `swift build --build-tests` puts executables and the test bundle in the same directory
/// (`.build/debug`); on Linux the bundle is itself an executable there, and `Bundle.main`
/// points at that directory or at the bundle inside it.
enum ProductLocator {
    struct NotFound: Error, CustomStringConvertible {
        var product: String
        var searched: [String]

        var description: String {
            "The executable \(product) was not found next to the tests (searched \(searched.joined(separator: ", "))); "
                + "build it first with `swift build --build-tests`."
        }
    }

    static func path(of product: String) throws -> String {
        var directories: [String] = []
        let bundle = Bundle.main.bundleURL
        directories.append(bundle.path)
        directories.append(bundle.deletingLastPathComponent().path)
        if let executable = Bundle.main.executableURL {
            directories.append(executable.deletingLastPathComponent().path)
        }
        let candidates = directories.map { "\($0)/\(product)" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NotFound(product: product, searched: candidates)
        }
        return found
    }
}
