import Foundation

/// A test step that did not come true; the text says what was expected.
struct LabError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, at most `seconds`: a bound that proves "not hung", not a
/// timing assertion. Errors thrown by the condition count as "not yet".
func waitUntil(_ seconds: Double = 20, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw LabError("timed out after \(seconds) s waiting for \(what)" + (lastError.map { "; last error: \($0)" } ?? ""))
}
