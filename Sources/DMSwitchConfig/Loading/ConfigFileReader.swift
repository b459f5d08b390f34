import Glibc

/// Reads the configuration file as UTF-8 text, refusing what cannot be a configuration
/// (a directory, a device, anything huge, invalid UTF-8) with a problem instead of a hang.
enum ConfigFileReader {
    /// dmswitch.toml is a few kilobytes; this bound keeps `/dev/zero` or a log file given
    /// by mistake from being read into memory.
    static let maximumBytes = 1 << 20

    enum Outcome {
        case text(String)
        case problem(ConfigProblem)
    }

    static func read(path: String) -> Outcome {
        func failure(_ message: String, at location: SourceLocation? = nil) -> Outcome {
            .problem(ConfigProblem(file: path, location: location, key: nil, message: message))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            return failure("cannot read the file: \(errnoDescription(errno))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return failure("cannot read the file: \(errnoDescription(errno))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            let kind = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            return failure("cannot read the file: it is \(kind)")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return failure("cannot read the file: \(errnoDescription(errno))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
            if bytes.count > maximumBytes {
                return failure("the file is larger than \(maximumBytes / 1024) KiB; a dmswitch configuration is a few kilobytes")
            }
        }
        switch decode(bytes) {
        case .success(let text):
            return .text(text)
        case .failure(let invalid):
            return failure("the file is not valid UTF-8 text", at: invalid.location)
        }
    }

    /// The text, or the location of the first byte that is not UTF-8.
    static func decode(_ bytes: [UInt8]) -> Result<String, SourceLocationError> {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var text = ""
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.unicodeScalars.append(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return .success(text)
            case .error:
                return .failure(SourceLocationError(location: SourceLocation(line: line, column: column)))
            }
        }
    }

    static func errnoDescription(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A failure that is only a place in the text.
struct SourceLocationError: Error {
    var location: SourceLocation
}
