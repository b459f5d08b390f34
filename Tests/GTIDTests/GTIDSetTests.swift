import Testing
@testable import GTID

private let a = "3ccc475b-2343-11e7-be21-6c0b84d59f30"
private let b = "406a3f61-690d-11e7-87c5-6c92bf46f384"
private let c = "c0149e17-dff1-11e8-b6a8-0242ac110004"

@Suite("MySQL GTID sets: parsing and canonical printing")
struct GTIDSetParsingTests {
    @Test("Parses server and DM text into the canonical form", arguments: [
        ("", ""),
        ("   \n ", ""),
        ("\(a):1-5", "\(a):1-5"),
        ("\(a):5", "\(a):5"),
        ("\(a):5-5", "\(a):5"),
        ("\(a):1-5:7-9", "\(a):1-5:7-9"),
        ("\(a):7-9:1-5", "\(a):1-5:7-9"),
        ("\(a):1-5:6-9", "\(a):1-9"),
        ("\(a):1-5:3-7", "\(a):1-7"),
        ("\(a):1-5,\(a):6", "\(a):1-6"),
        ("\(b):3,\(a):1", "\(a):1,\(b):3"),
        ("\(a.uppercased()):1-2", "\(a):1-2"),
        ("\(a):1-5,\n\(b):1-94321383", "\(a):1-5,\(b):1-94321383"),
        (" \(a) : 1 - 5 , \(b) : 3 ", "\(a):1-5,\(b):3"),
        ("\(a):1-3:domestic:1-17", "\(a):1-3:domestic:1-17"),
        ("\(a):Domestic:1-17:1-3", "\(a):domestic:1-17"),
        ("\(a):5:Domestic:1-3", "\(a):5:domestic:1-3"),
        ("\(a):zz:1:aa:2", "\(a):aa:2:zz:1"),
        ("\(a):tag_1:1-2:3", "\(a):tag_1:1-3"),
        ("\(a):9223372036854775807", "\(a):9223372036854775807"),
    ])
    func canonical(input: String, expected: String) throws {
        let set = try GTIDSet(input)
        #expect(set.description == expected)
        #expect(try GTIDSet(set.description) == set, "the canonical form parses back to the same set")
    }

    @Test("Rejects malformed text with the offset and what was expected", arguments: [
        (":1-5", 0, "a server UUID"),
        ("xyz", 0, "a server UUID"),
        ("3ccc475b", 8, "'-' in the server UUID"),
        ("3ccc475b-2343", 13, "'-' in the server UUID"),
        ("3ccc475g-2343-11e7-be21-6c0b84d59f30:1", 7, "a hexadecimal digit in the server UUID"),
        ("3ccc475b-2343-11e7-be21-6c0b84d59f3:1", 35, "a hexadecimal digit in the server UUID"),
        ("3ccc475b_2343-11e7-be21-6c0b84d59f30:1", 8, "'-' in the server UUID"),
        ("\(a)", 36, "':' after the server UUID"),
        ("\(a)-1", 36, "':' after the server UUID"),
        ("\(a):", 37, "a transaction number or a tag"),
        ("\(a):-5", 37, "a transaction number or a tag"),
        ("\(a):0", 37, "a transaction number of at least 1"),
        ("\(a):0-5", 37, "a transaction number of at least 1"),
        ("\(a):5-3", 39, "an interval end not below its start 5"),
        ("\(a):5-", 39, "the end of the interval"),
        ("\(a):5-x", 39, "the end of the interval"),
        ("\(a):1-5:", 41, "a transaction number or a tag"),
        ("\(a):1-5::7", 41, "a transaction number or a tag"),
        ("\(a):1-5,", 41, "a server UUID"),
        ("\(a):1-5,,\(b):1", 41, "a server UUID"),
        ("\(a):1-5;\(b):1", 40, "',' between server UUIDs, ':' before more intervals, or the end"),
        ("\(a):1 2", 39, "',' between server UUIDs, ':' before more intervals, or the end"),
        ("\(a):9223372036854775808", 37, "a transaction number no larger than 9223372036854775807"),
        ("\(a):1-99999999999999999999", 39, "the end of the interval no larger than 9223372036854775807"),
        ("\(a):tag", 40, "':' after the tag \"tag\""),
        ("\(a):tag:", 41, "a transaction number after the tag \"tag\""),
        ("\(a):tag:x", 41, "a transaction number after the tag \"tag\""),
        ("\(a):tag:tag2:1", 41, "a transaction number after the tag \"tag\""),
        ("\(a):\(String(repeating: "t", count: 33)):1", 37, "a tag of at most 32 characters"),
        ("\(a):t-g:1", 38, "':' after the tag \"t\""),
        ("\(a):#1", 37, "a transaction number or a tag"),
        ("\(a):1-5,\(b)", 77, "':' after the server UUID"),
        ("0-1-100", 1, "a hexadecimal digit in the server UUID"),
    ])
    func malformed(input: String, offset: Int, expected: String) {
        #expect(throws: GTIDParseError(text: input, offset: offset, expected: expected)) {
            try GTIDSet(input)
        }
    }

    @Test("The error sentence names the offset, the expectation and what was found")
    func errorSentence() {
        let error = GTIDParseError(text: "\(a):0", offset: 37, expected: "a transaction number of at least 1")
        #expect(error.description
            == "Malformed GTID text at offset 37: expected a transaction number of at least 1, found \"0\".")
        let atEnd = GTIDParseError(text: "\(a)", offset: 36, expected: "':' after the server UUID")
        #expect(atEnd.description.hasSuffix("found the end of the text."))
    }

    @Test("Counts transactions and lists origins")
    func countsAndOrigins() throws {
        let set = try GTIDSet("\(a):1-5:7-9,\(b):3,\(b):tag:1-2")
        #expect(set.transactionCount == 5 + 3 + 1 + 2)
        #expect(set.sourceUUIDs == [a, b])
        #expect(GTIDSet().transactionCount == 0)
        #expect(GTIDSet().isEmpty)
    }
}

@Suite("MySQL GTID sets: algebra")
struct GTIDSetAlgebraTests {
    @Test("Subset", arguments: [
        ("", "", true),
        ("", "\(a):1", true),
        ("\(a):1", "", false),
        ("\(a):1-5", "\(a):1-10", true),
        ("\(a):1-10", "\(a):1-5", false),
        ("\(a):1-5:7", "\(a):1-7", true),
        ("\(a):1-7", "\(a):1-5:7", false),
        ("\(a):3-4", "\(a):1-2:5-6", false),
        ("\(a):1-5", "\(a):1-5,\(b):1", true),
        ("\(a):1,\(b):1", "\(a):1-5", false),
        ("\(a):tag:1", "\(a):1", false),
        ("\(a):tag:1", "\(a):1:tag:1-3", true),
    ])
    func subset(lhs: String, rhs: String, expected: Bool) throws {
        #expect(try GTIDSet(lhs).isSubset(of: GTIDSet(rhs)) == expected)
    }

    @Test("Union, subtraction and intersection", arguments: [
        ("\(a):1-5", "\(a):3-9", "\(a):1-9", "\(a):1-2", "\(a):3-5"),
        ("\(a):1-5", "\(b):1-5", "\(a):1-5,\(b):1-5", "\(a):1-5", ""),
        ("\(a):1-10", "\(a):4-6", "\(a):1-10", "\(a):1-3:7-10", "\(a):4-6"),
        ("\(a):1-10", "\(a):1-10", "\(a):1-10", "", "\(a):1-10"),
        ("\(a):1-3:7-9", "\(a):2-8", "\(a):1-9", "\(a):1:9", "\(a):2-3:7-8"),
        ("", "\(a):1", "\(a):1", "", ""),
        ("\(a):1-4:tag:1-4", "\(a):tag:2-3", "\(a):1-4:tag:1-4", "\(a):1-4:tag:1:4", "\(a):tag:2-3"),
    ])
    func operations(lhs: String, rhs: String, union: String, difference: String, common: String) throws {
        let left = try GTIDSet(lhs)
        let right = try GTIDSet(rhs)
        #expect(left.union(right).description == union)
        #expect(left.subtracting(right).description == difference)
        #expect(left.intersection(right).description == common)
    }

    @Test("Equality ignores how the text was written")
    func equality() throws {
        #expect(try GTIDSet("\(a):1-3:4-5") == GTIDSet("\(a.uppercased()):1-5"))
        #expect(try GTIDSet("\(a):1-5") != GTIDSet("\(a):1-4"))
    }
}
