import Testing

@testable import DMSwitchConfig

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    static let keys = ["interval", "timeout", "failures", "confirm-with-replicas", "startup-probes"]

    static let cases: [(String, String?)] = [
        ("intervall", "interval"),
        ("intreval", "interval"),
        ("Interval", "interval"),
        ("timout", "timeout"),
        ("failure", "failures"),
        ("startup_probes", "startup-probes"),
        ("confirm-with-replica", "confirm-with-replicas"),
        ("confirm", "confirm-with-replicas"),
        ("colour", nil),
        ("x", nil),
        ("int", nil),
    ]

    @Test("A near miss suggests the key that was meant; anything else suggests nothing", arguments: cases)
    func suggests(_ word: String, _ expected: String?) {
        #expect(Suggestion.closest(to: word, among: Self.keys) == expected)
    }

    @Test("Edit distance counts a swap of neighbours once")
    func distance() {
        func d(_ a: String, _ b: String) -> Int {
            Suggestion.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(d("interval", "interval") == 0)
        #expect(d("intreval", "interval") == 1)
        #expect(d("kitten", "sitting") == 3)
        #expect(d("", "abc") == 3)
    }
}
