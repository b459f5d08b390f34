import DM
import Testing

@Suite("DM's answer for a source that does not exist")
struct SourceNotAddedTests {
    @Test("Only DM-master's 'sources [x] haven't been added' refusal means the source does not exist", arguments: [
        (DMError.Failure.rejected(message: "sources [mysql-replica-01] haven't been added", failures: []), true),
        (.rejected(message: "sources [a b] haven't been added", failures: []), true),
        (.rejected(message: "task orders has no source or not exist", failures: []), false),
        (.rejected(message: nil, failures: []), false),
        (.exited(status: 1, message: "sources [mysql-replica-01] haven't been added"), false),
        (.timedOut(after: .seconds(20)), false),
    ])
    func sourceNotAdded(failure: DMError.Failure, expected: Bool) {
        #expect(DMError(action: "query the status of DM source \"mysql-replica-01\"", failure: failure).isSourceNotAdded == expected)
    }
}
