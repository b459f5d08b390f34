/// A place where the text breaks the TOML subset, or breaks TOML's table rules
/// (duplicate keys, a table defined twice).
struct TOMLSyntaxError: Error, Sendable, Equatable {
    var location: SourceLocation
    var message: String
}

/// What the parser produced: the root table, and every syntax error found.
///
/// When `errors` is not empty, `root` holds whatever parsed cleanly; the schema never reads
/// it then, because values missing after a broken line would only add misleading problems.
struct TOMLParseResult: Sendable {
    var root: TOMLTable
    var errors: [TOMLSyntaxError]
}
