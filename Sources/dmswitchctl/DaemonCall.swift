import Control
import Foundation

/// Sends one prepared request to the daemon and turns the answer into output and an exit status.
struct DaemonCall {
    let socketPath: String
    let json: Bool
    let context: CLIContext

    func perform(_ prepared: PreparedRequest, render: (ControlResult) -> String) -> CLIResult {
        if let question = prepared.confirmation {
            guard context.standardInputIsTerminal else {
                return .usageError(
                    "\(prepared.request.command.name.rawValue) changes DM's upstream; confirm with --yes when standard input is not a terminal.",
                    usage: SwitchoverCommand.command.usage, helpCommand: SwitchoverCommand.command.helpCommand)
            }
            let answer = context.ask(question)?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                return CLIResult(status: CLIResult.Exit.failed, stderr: "Switchover cancelled; nothing was changed.\n")
            }
        }
        let request = ControlRequest(prepared.request.command, id: "dmswitchctl-\(getpid())")
        let client = ControlClient(socketPath: socketPath)
        let line: [UInt8]
        let response: ControlResponse
        do {
            line = try client.exchange(request.encodedLine())
            response = try ControlResponse.decode(line, for: request.command.name)
        } catch let error as ControlClientError {
            let status = error.isUnreachable ? CLIResult.Exit.unavailable : CLIResult.Exit.failed
            return CLIResult(status: status, stderr: "Error: \(error.description)\n")
        } catch {
            return CLIResult(status: CLIResult.Exit.failed, stderr: "Error: \(error)\n")
        }
        switch response.reply {
        case .success(let result):
            return CLIResult(status: CLIResult.Exit.ok, stdout: json ? Self.rawMember("result", of: line) : render(result))
        case .failure(let error):
            return CLIResult(
                status: CLIResult.Exit.failed, stdout: json ? Self.rawMember("error", of: line) : "",
                stderr: "Error: \(error.message)\n")
        }
    }

    /// The daemon's own JSON for `member` on one line with sorted keys (stable for scripts and
    /// `jq`): fields this version of dmswitchctl does not know still reach the script.
    static func rawMember(_ member: String, of line: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let value = object[member],
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
