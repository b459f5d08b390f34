import Glibc

/// Checks the files a configuration names against the disk, as `ReferencedFilePolicy` says.
///
/// Checks run as the calling user, so "cannot read" from an operator's shell may be fine for
/// the daemon's user; that is why such findings are only warnings under `.warn`.
enum ReferencedFileChecker {
    static func check(_ references: [ReferencedFile], policy: ReferencedFilePolicy, file: String) -> [ConfigProblem] {
        guard policy != .ignore else { return [] }
        var problems: [ConfigProblem] = []
        var seen = Set<ReferencedFile>()
        for reference in references where seen.insert(reference).inserted {
            for finding in findings(for: reference) {
                let severity: ConfigProblem.Severity
                switch finding.weight {
                case .broken: severity = .error
                case .unavailable: severity = policy == .require ? .error : .warning
                case .advice: severity = .warning
                }
                problems.append(
                    ConfigProblem(
                        file: file, location: reference.location, key: reference.key, message: finding.message,
                        severity: severity))
            }
        }
        return problems
    }

    struct Finding {
        enum Weight {
            /// Exists but cannot work: always an error.
            case broken
            /// Missing or not accessible to this user: an error only where the files must be.
            case unavailable
            /// Works, but should be changed: always a warning.
            case advice
        }

        var weight: Weight
        var message: String
    }

    static func findings(for reference: ReferencedFile) -> [Finding] {
        let named = "\(TOMLKey.quoted(reference.path)) (\(reference.key))"
        var status = stat()
        guard stat(reference.path, &status) == 0 else {
            let code = errno
            let message = code == ENOENT
                ? "\(named) does not exist"
                : "\(named) cannot be checked: \(ConfigFileReader.errnoDescription(code))"
            return [Finding(weight: .unavailable, message: message)]
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR {
            return [Finding(weight: .broken, message: "\(named) is a directory, not a file")]
        }
        guard type == S_IFREG else {
            return [Finding(weight: .broken, message: "\(named) is not a regular file")]
        }
        var found: [Finding] = []
        switch reference.kind {
        case .executable:
            if status.st_mode & 0o111 == 0 {
                found.append(Finding(weight: .broken, message: "\(named) is not executable (no execute permission)"))
            } else if access(reference.path, X_OK) != 0 {
                found.append(Finding(weight: .unavailable, message: "\(named) is not executable by this user"))
            }
        case .readable, .secret, .rewritable:
            if access(reference.path, R_OK) != 0 {
                found.append(Finding(weight: .unavailable, message: "\(named) is not readable by this user"))
            }
        }
        if reference.kind == .secret, status.st_mode & 0o004 != 0 {
            found.append(
                Finding(weight: .advice, message: "\(named) is readable by every user; make it readable by the daemon only (chmod 0600 or 0640)"))
        }
        if reference.kind == .rewritable {
            let directory = directoryName(reference.path)
            if access(directory, W_OK) != 0 {
                found.append(
                    Finding(
                        weight: .unavailable,
                        message: "the directory \(TOMLKey.quoted(directory)) of \(named) is not writable by this user; "
                            + "the file is replaced through a temporary file there"))
            }
        }
        return found
    }

    /// The directory part of an absolute path (`/etc/dm/source.yaml` → `/etc/dm`).
    static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}
