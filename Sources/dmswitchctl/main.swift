// dmswitchctl: the operator's client. It only speaks the control protocol,
// plus offline helpers.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "gtid" {
    let result = GTIDCommand.run(Array(arguments.dropFirst()))
    FileHandle.standardOutput.write(Data(result.stdout.utf8))
    FileHandle.standardError.write(Data(result.stderr.utf8))
    exit(result.status)
}
FileHandle.standardError.write(Data("Usage: dmswitchctl gtid ...\n".utf8))
exit(64)
