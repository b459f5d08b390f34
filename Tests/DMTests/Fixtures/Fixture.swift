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

/// An input that must be refused, and the error sentence (or the part of it) expected.
struct Refusal: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let message: String

    init(_ name: String, _ input: String, _ message: String) {
        self.name = name
        self.input = input
        self.message = message
    }

    var testDescription: String { name }
}
