import Foundation

/// A fresh directory under the system's temporary directory, removed with `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ purpose: String) throws {
        path = NSTemporaryDirectory() + "dmtests-\(purpose)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
