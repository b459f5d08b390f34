import Testing
@testable import GTID

@Suite("MariaDB GTID positions")
struct MariaDBPositionTests {
    @Test("Parses and prints positions canonically", arguments: [
        ("", ""),
        ("0-1-100", "0-1-100"),
        ("1-2-7,0-1-100", "0-1-100,1-2-7"),
        (" 0-1-100 ,\n 1-2-7 ", "0-1-100,1-2-7"),
        ("0-1-100,0-2-57", "0-1-100,0-2-57"),
        ("4294967295-4294967295-18446744073709551615", "4294967295-4294967295-18446744073709551615"),
    ])
    func roundTrip(input: String, expected: String) throws {
        let position = try MariaDBGTIDPosition(input)
        #expect(position.description == expected)
        #expect(try MariaDBGTIDPosition(position.description) == position)
    }

    @Test("Rejects malformed positions with the offset and what was expected", arguments: [
        ("x", 0, "a domain id"),
        ("0", 1, "'-' after the domain id"),
        ("0-", 2, "a server id"),
        ("0-1", 3, "'-' after the server id"),
        ("0-1-", 4, "a sequence number"),
        ("0-1-x", 4, "a sequence number"),
        ("0-1-100,", 8, "a domain id"),
        ("0-1-100;1-1-1", 7, "',' between GTIDs or the end"),
        ("0-1-100 1-1-1", 8, "',' between GTIDs or the end"),
        ("4294967296-1-1", 0, "a domain id no larger than 4294967295"),
        ("0-4294967296-1", 2, "a server id no larger than 4294967295"),
        ("0-1-18446744073709551616", 4, "a sequence number no larger than 18446744073709551615"),
        ("0-1-5,0-1-6", 6, "each domain-server pair at most once (0-1 repeats)"),
        ("-1-1-1", 0, "a domain id"),
        ("3ccc475b-2343-11e7-be21-6c0b84d59f30:1", 1, "'-' after the domain id"),
    ])
    func malformed(input: String, offset: Int, expected: String) {
        #expect(throws: GTIDParseError(text: input, offset: offset, expected: expected)) {
            try MariaDBGTIDPosition(input)
        }
    }

    @Test("Includes everything up to another position, per domain", arguments: [
        ("0-1-100", "0-1-100", true),
        ("0-1-100", "0-1-99", true),
        ("0-1-99", "0-1-100", false),
        ("0-2-120", "0-1-100", true),
        ("0-1-100", "", true),
        ("", "0-1-1", false),
        ("0-1-100", "0-1-50,1-1-1", false),
        ("0-1-100,1-3-5", "0-1-50,1-1-1", true),
        ("0-1-100,0-2-57", "0-2-100", true),
        ("0-1-99,0-2-57", "0-1-100", false),
    ])
    func includes(have: String, need: String, expected: Bool) throws {
        #expect(try MariaDBGTIDPosition(have).includes(MariaDBGTIDPosition(need)) == expected)
    }

    @Test("Names what another position has beyond this one")
    func missing() throws {
        let have = try MariaDBGTIDPosition("0-1-100,1-1-5")
        let need = try MariaDBGTIDPosition("0-1-120,1-1-5,2-3-1")
        #expect(have.missing(comparedTo: need) == [
            MariaDBGTIDGap(domain: 0, after: 100, through: 120),
            MariaDBGTIDGap(domain: 2, after: 0, through: 1),
        ])
        #expect(have.missing(comparedTo: need).map(\.description) == ["domain 0: 101-120", "domain 2: 1"])
        #expect(need.missing(comparedTo: have).isEmpty)
    }

    @Test("Counts progress as the sum of the highest sequence per domain")
    func counts() throws {
        #expect(try MariaDBGTIDPosition("0-1-100,0-2-57,1-1-5").transactionCount == 105)
        #expect(try MariaDBGTIDPosition("0-1-100,0-2-57").sequence(inDomain: 0) == 100)
        #expect(try MariaDBGTIDPosition("0-1-100").sequence(inDomain: 7) == nil)
    }

    @Test("Union keeps the highest sequence per domain and server")
    func union() throws {
        let merged = try MariaDBGTIDPosition("0-1-100,1-1-5").union(MariaDBGTIDPosition("0-1-90,0-2-7"))
        #expect(merged.description == "0-1-100,0-2-7,1-1-5")
    }
}
