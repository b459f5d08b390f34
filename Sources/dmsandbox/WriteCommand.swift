import Foundation
import Sandbox
import Upstream

/// `dmsandbox write`: the demo's application, writing through failovers.
enum WriteCommand {
    static func run(_ arguments: SandboxArguments) async throws(SandboxError) -> DMSandbox.Outcome {
        let directory = try Sandbox.attach(directory: arguments.directory).directory
        let options = ContinuousWriter.Options(
            rows: arguments.rows, rate: arguments.rate, table: arguments.values["table"] ?? "writes",
            target: arguments.flags.contains("via-vip") ? .vip : .primary,
            idsFile: arguments.values["ids"] ?? directory + "/acknowledged-ids.txt")
        let writer = try ContinuousWriter(directory: directory, options: options)
        let stopper = Task {
            let signal = await TerminationSignal.wait()
            FileHandle.standardError.write(Data("Stopping the writer on \(signal).\n".utf8))
            writer.stop()
        }
        let summary = try await MySQLThread.run(name: "dmsandbox write") { () throws(SandboxError) -> ContinuousWriter.Summary in
            try writer.run()
        }
        stopper.cancel()
        return .ok("Wrote to the sandbox in \(directory): \(summary)\n")
    }
}
