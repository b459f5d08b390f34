/// One row of a result set: the column names in server order and the values as text.
///
/// Values are the text protocol's strings; SQL NULL is nil. Look-ups by name
/// are exact (MySQL and MariaDB name `SHOW` columns with fixed capitalization,
/// and the names differ between versions: `Source_Host` vs `Master_Host`).
public struct Row: Equatable, Sendable {
    /// The column names in the order the server sent them.
    public let columns: [String]
    /// The values in column order; nil is SQL NULL.
    public let values: [String?]
    private let index: [String: Int]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        // A value list of the wrong length is padded with NULLs or cut, never a crash.
        self.values = Array((values + Array(repeating: nil, count: max(0, columns.count - values.count)))
            .prefix(columns.count))
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.index = index
    }

    /// Builds a row from name/value pairs in order (recorded rows in tests, fixtures).
    public init(_ pairs: KeyValuePairs<String, String?>) {
        self.init(columns: pairs.map(\.key), values: pairs.map(\.value))
    }

    /// The value of `column`; nil when it is NULL or the row has no such column.
    public subscript(_ column: String) -> String? {
        guard let position = index[column] else { return nil }
        return values[position]
    }

    /// True when the row has a column of that name (NULL or not).
    public func hasColumn(_ column: String) -> Bool {
        index[column] != nil
    }

    /// The row as a dictionary from column name to value (NULL is nil).
    public var dictionary: [String: String?] {
        var result: [String: String?] = [:]
        for (name, value) in zip(columns, values) where result[name] == nil {
            result[name] = .some(value)
        }
        return result
    }

    public static func == (lhs: Row, rhs: Row) -> Bool {
        lhs.columns == rhs.columns && lhs.values == rhs.values
    }
}
