import Posix
import Testing

@testable import DM

@Suite("dmctl exit statuses and error sentences")
struct DMCtlExitTests {
    @Test("Exit 1 with Error: on stderr becomes a failure carrying that text")
    func errorLine() throws {
        let failure = try #require(
            DMCtlExit.failure(
                status: .exited(1), timedOut: false, deadline: .seconds(30),
                stdout: "Usage:\n  dmctl pause-task [-s source ...] <task-name | task-file> [flags]\n",
                stderr: "Error: task not found\n"))
        #expect(failure == .exited(status: 1, message: "task not found"))
        let error = DMError(action: #"pause DM task "orders""#, failure: failure)
        #expect(error.description == #"Could not pause DM task "orders": dmctl exited 1 ("task not found")."#)
    }

    @Test("Exit statuses map to failures by version-independent rules", arguments: [
        (Posix.ExitStatus.exited(0), false, "", "", DMError.Failure?.none),
        (.exited(1), false, "", "Error: [code=48001:class=dmctl:scope=internal:level=high], Message: can not create grpc connection\nRun 'dmctl --help' for usage.\n",
         .exited(status: 1, message: "[code=48001:class=dmctl:scope=internal:level=high], Message: can not create grpc connection")),
        (.exited(2), false, "init logger error open dmctl.log: permission denied\n", "",
         .exited(status: 2, message: "init logger error open dmctl.log: permission denied")),
        (.exited(1), false, "", "", .exited(status: 1, message: "")),
        (.signaled(15), false, "", "", .signaled(15)),
        (.signaled(9), true, "", "", .timedOut(after: .seconds(30))),
        (.exited(0), true, "{}", "", .timedOut(after: .seconds(30))),
    ])
    func exits(status: Posix.ExitStatus, timedOut: Bool, stdout: String, stderr: String, expected: DMError.Failure?) {
        #expect(DMCtlExit.failure(status: status, timedOut: timedOut, deadline: .seconds(30), stdout: stdout, stderr: stderr) == expected)
    }

    @Test("Every failure reads as one sentence naming the action", arguments: [
        (DMError.Failure.exited(status: 2, message: ""), #"Could not stop DM task "orders": dmctl exited 2 without a message."#),
        (.signaled(9), #"Could not stop DM task "orders": dmctl was killed by signal 9."#),
        (.timedOut(after: .milliseconds(1500)),
         #"Could not stop DM task "orders": dmctl did not finish within 1.5 s and was killed, so whether DM applied the command is unknown."#),
        (.couldNotStart("No such file or directory while trying to spawn."),
         #"Could not stop DM task "orders": dmctl could not be started (No such file or directory while trying to spawn)."#),
        (.rejected(message: nil, failures: []), #"Could not stop DM task "orders": DM-master answered result false."#),
        (.rejected(message: "task orders has no source or not exist", failures: []),
         #"Could not stop DM task "orders": DM-master answered "task orders has no source or not exist"."#),
        (.rejected(message: nil, failures: [
            DMMemberOutcome(source: "s1", worker: "w1", result: false, message: "boom"),
            DMMemberOutcome(worker: "10.0.0.2:8262", result: false),
        ]), #"Could not stop DM task "orders": source "s1" on worker "w1" answered "boom"; worker "10.0.0.2:8262" answered result false."#),
        (.unsupported("list-member exists only in DM v2.0 and later"),
         #"Could not stop DM task "orders": list-member exists only in DM v2.0 and later."#),
    ])
    func sentences(failure: DMError.Failure, sentence: String) {
        #expect(DMError(action: #"stop DM task "orders""#, failure: failure).description == sentence)
    }

    @Test("DM error codes are found in terror strings and folded worker errors")
    func codes() {
        let error = DMError(
            action: "x",
            failure: .rejected(
                message: "[code=46010:class=scheduler:scope=internal:level=medium], Message: has running tasks",
                failures: [DMMemberOutcome(source: "s", result: false, message: "[code=38032:…] some error occurs in dm-worker: ErrCode:36069 ErrClass:\"sync-unit\"")]))
        #expect(error.codes == [46010, 38032, 36069])
        #expect(error.isRejection)
        #expect(DMError(action: "x", failure: .signaled(9)).codes.isEmpty)
    }
}
