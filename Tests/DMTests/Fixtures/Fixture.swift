import Testing

/// A fixture with a short name, so parameterized test logs show the name instead of the text.
struct Fixture: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String

    init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }

    var testDescription: String { name }
}
