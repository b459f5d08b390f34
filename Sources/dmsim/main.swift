// dmsim: a DM emulator, argument- and output-compatible with dmctl, whose subtasks are
// real MariaDB replication connections. See DMSim.swift.
import Foundation

let reply = DMSim(environment: ProcessInfo.processInfo.environment,
                  workingDirectory: FileManager.default.currentDirectoryPath)
    .run(Array(CommandLine.arguments.dropFirst()))
FileHandle.standardOutput.write(Data(reply.stdout.utf8))
FileHandle.standardError.write(Data(reply.stderr.utf8))
exit(reply.exitCode)
