/// Loads dmswitch.toml: reads the file, parses the TOML subset, applies the schema and the
/// cross-field checks, and optionally checks the files it names.
///
/// Every problem is collected; nothing is half-loaded. A configuration comes back only when
/// there is no error at all.
public enum ConfigLoader {
    /// The configuration in `path`, or every error in it.
    ///
    /// `referencedFiles` defaults to `.ignore`: the daemon passes `.require` at start, where
    /// the password file, dmctl and the hooks must be usable.
    public static func load(
        path: String, referencedFiles: ReferencedFilePolicy = .ignore
    ) throws(ConfigErrors) -> DMSwitchConfiguration {
        try validate(path: path, referencedFiles: referencedFiles).configurationOrErrors()
    }

    /// The configuration in `text`; `file` names it in problems.
    public static func load(
        text: String, file: String, referencedFiles: ReferencedFilePolicy = .ignore
    ) throws(ConfigErrors) -> DMSwitchConfiguration {
        try validate(text: text, file: file, referencedFiles: referencedFiles).configurationOrErrors()
    }

    /// Every problem in `path`, warnings included, and the configuration if there is no error.
    public static func validate(path: String, referencedFiles: ReferencedFilePolicy) -> ConfigValidation {
        switch ConfigFileReader.read(path: path) {
        case .text(let text):
            return validate(text: text, file: path, referencedFiles: referencedFiles)
        case .problem(let problem):
            return ConfigValidation(file: path, configuration: nil, problems: [problem])
        }
    }

    /// Every problem in `text`, warnings included, and the configuration if there is no error.
    public static func validate(text: String, file: String, referencedFiles: ReferencedFilePolicy) -> ConfigValidation {
        validate(text: text, file: file, referencedFiles: referencedFiles, hostName: HostName.current())
    }

    /// As above, with the default `node-name` given, so tests do not depend on the machine.
    static func validate(
        text: String, file: String, referencedFiles: ReferencedFilePolicy, hostName: String
    ) -> ConfigValidation {
        let parsed = TOMLParser.parse(text)
        guard parsed.errors.isEmpty else {
            // Schema problems after a syntax error would mostly be echoes of it.
            let problems = parsed.errors.map {
                ConfigProblem(file: file, location: $0.location, key: nil, message: $0.message)
            }
            return ConfigValidation(file: file, configuration: nil, problems: problems)
        }
        let context = SchemaContext(file: file, hostName: hostName)
        let configuration = ConfigurationSchema.read(parsed.root, context: context)
        let fileProblems = ReferencedFileChecker.check(context.references, policy: referencedFiles, file: file)
        let problems = ConfigValidation.inFileOrder(context.problems + fileProblems)
        let hasErrors = problems.contains { $0.severity == .error }
        return ConfigValidation(file: file, configuration: hasErrors ? nil : configuration, problems: problems)
    }
}

/// The outcome of checking a configuration: all problems, and the configuration when none
/// of them is an error.
public struct ConfigValidation: Hashable, Sendable {
    /// The configuration file as it was named to the loader.
    public var file: String
    /// `nil` exactly when `errors` is not empty.
    public var configuration: DMSwitchConfiguration?
    /// Errors and warnings in file order; problems without a place come last.
    public var problems: [ConfigProblem]

    public init(file: String, configuration: DMSwitchConfiguration?, problems: [ConfigProblem]) {
        self.file = file
        self.configuration = configuration
        self.problems = problems
    }

    public var errors: [ConfigProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [ConfigProblem] { problems.filter { $0.severity == .warning } }

    /// The configuration, or the errors as one thrown value.
    public func configurationOrErrors() throws(ConfigErrors) -> DMSwitchConfiguration {
        guard let configuration, errors.isEmpty else {
            let errors = errors
            throw ConfigErrors(
                errors.isEmpty
                    ? [ConfigProblem(file: file, location: nil, key: nil, message: "the configuration could not be read")]
                    : errors)
        }
        return configuration
    }

    /// Sorted by location (stable), problems without a location last.
    static func inFileOrder(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        problems.enumerated().sorted { left, right in
            switch (left.element.location, right.element.location) {
            case (let a?, let b?): a != b ? a < b : left.offset < right.offset
            case (nil, nil): left.offset < right.offset
            case (nil, _): false
            case (_, nil): true
            }
        }.map(\.element)
    }
}
