/// An operator-supplied program to run, written in the file as an array: executable, then
/// arguments (`["/usr/local/sbin/move-vip", "--vip", "10.0.0.100"]`).
///
/// An array rather than a shell line: nothing is split or expanded behind the operator's
/// back, and the executable is an absolute path because the daemon's `PATH` under systemd is
/// not the operator's.
public struct ExternalCommand: Hashable, Sendable, CustomStringConvertible {
    /// Absolute path of the program.
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The command as a readable line, arguments with spaces quoted, for logs.
    public var description: String {
        ([executable] + arguments).map { word in
            word.isEmpty || word.contains(where: { $0 == " " || $0 == "\"" || $0 == "'" }) ? TOMLKey.quoted(word) : word
        }.joined(separator: " ")
    }
}
