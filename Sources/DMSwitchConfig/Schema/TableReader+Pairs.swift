/// Checks between keys of one table.
extension TableReader {
    /// A certificate and its key go together: reports the one set without the other.
    func requireTogether(_ first: (key: String, value: Located<String>?), _ second: (key: String, value: Located<String>?)) {
        switch (first.value, second.value) {
        case (let value?, nil):
            error("\(describe(first.key)) needs \(TOMLKey.quoted(second.key)) as well", at: value.location, key: first.key)
        case (nil, let value?):
            error("\(describe(second.key)) needs \(TOMLKey.quoted(first.key)) as well", at: value.location, key: second.key)
        default:
            break
        }
    }

    /// An array of paths: each absolute, none repeated, each recorded as a referenced file.
    mutating func paths(_ key: String, reference kind: ReferencedFile.Kind) -> [String]? {
        guard let list = stringArray(key, expected: "an array of paths") else { return nil }
        var valid = true
        for (offset, element) in list.value.enumerated() {
            if let problem = Self.pathProblem(element.value) {
                error("element \(offset + 1) of \(describe(key)) \(problem)", at: element.location, key: key)
                valid = false
            } else {
                context.reference(element.value, kind, at: element.location, key: fullKey(key))
            }
        }
        valid = reportRepeats(key, list.value, display: { $0 }) && valid
        return valid ? list.value.map(\.value) : nil
    }

    /// An array of addresses, at least one, none repeated.
    mutating func hostPorts(_ key: String, required: Bool) -> Located<[Located<HostPort>]>? {
        guard let list = stringArray(key, required: required, expected: "an array of addresses such as [\"10.0.0.1:8261\"]")
        else { return nil }
        var addresses: [Located<HostPort>] = []
        for (offset, element) in list.value.enumerated() {
            do throws(ValueParseError) {
                addresses.append(Located(value: try HostPort(element.value), location: element.location))
            } catch {
                self.error(
                    "element \(offset + 1) of \(describe(key)) is not a valid address: \(error.reason)",
                    at: element.location, key: key)
            }
        }
        guard addresses.count == list.value.count, reportRepeats(key, addresses, display: \.description) else {
            return nil
        }
        return Located(value: addresses, location: list.location)
    }
}
