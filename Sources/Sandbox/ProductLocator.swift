import Foundation

/// Finds the executables `swift build` put next to the running test bundle (dmswitchctl,
/// dmswitchd, dmsim, dmsandbox), so tests run the very binaries of this build.
public enum ProductLocator {
    /// The build products directory: the directory of the running test executable.
    public static var directory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }

    /// The path of `product`; a missing product is an error that says how to build it.
    public static func path(of product: String) throws(ProductNotBuilt) -> String {
        let path = directory + "/" + product
        guard FileManager.default.isExecutableFile(atPath: path) else { throw ProductNotBuilt(product: product, path: path) }
        return path
    }
}

/// A test needs an executable that is not built.
public struct ProductNotBuilt: Error, Equatable, Sendable, CustomStringConvertible {
    public let product: String
    public let path: String

    public var description: String {
        "\(product) is not built next to the tests (\(path)); run `swift build --build-tests` (make test does) first."
    }
}
