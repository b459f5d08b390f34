import Testing
@testable import GTID

private let a = "3ccc475b-2343-11e7-be21-6c0b84d59f30"
private let b = "406a3f61-690d-11e7-87c5-6c92bf46f384"

/// The conditions of DM's "switch DM-worker connection between upstream
/// MySQL instances" procedure: a candidate qualifies when
/// gtid-P ⊆ gtid-S ⊆ gtid-E (and, with relay, relayBinlogGtid ⊆ gtid-E).
@Suite("The DM document's GTID conditions")
struct DMConditionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let flavor: GTIDFlavor
        let gtidS: String
        let purged: String
        let executed: String
        let purgedOK: Bool
        let executedOK: Bool
        var testDescription: String { name }
    }

    @Test("gtid-P ⊆ gtid-S and gtid-S ⊆ gtid-E", arguments: [
        Case(name: "a replica that has everything and purged nothing DM needs", flavor: .mysql,
             gtidS: "\(a):1-14,\(b):1-94321383", purged: "\(a):1-5", executed: "\(a):1-14,\(b):1-94321390",
             purgedOK: true, executedOK: true),
        Case(name: "purged beyond DM's checkpoint", flavor: .mysql,
             gtidS: "\(a):1-14,\(b):1-94321383", purged: "\(b):1-94321385", executed: "\(a):1-14,\(b):1-94321390",
             purgedOK: false, executedOK: true),
        Case(name: "behind DM", flavor: .mysql,
             gtidS: "\(a):1-14,\(b):1-94321383", purged: "", executed: "\(a):1-14,\(b):1-94321380",
             purgedOK: true, executedOK: false),
        Case(name: "missing a whole origin", flavor: .mysql,
             gtidS: "\(a):1-14,\(b):1-10", purged: "", executed: "\(b):1-20",
             purgedOK: true, executedOK: false),
        Case(name: "a MariaDB replica that caught up", flavor: .mariadb,
             gtidS: "0-1-100", purged: "0-1-40", executed: "0-1-120", purgedOK: true, executedOK: true),
        Case(name: "a MariaDB replica whose binlogs were purged past DM", flavor: .mariadb,
             gtidS: "0-1-100", purged: "0-1-101", executed: "0-1-120", purgedOK: false, executedOK: true),
        Case(name: "a MariaDB replica behind DM", flavor: .mariadb,
             gtidS: "0-1-100", purged: "", executed: "0-1-99", purgedOK: true, executedOK: false),
        Case(name: "a MariaDB promoted replica (new server id, same domain)", flavor: .mariadb,
             gtidS: "0-1-100", purged: "", executed: "0-2-105", purgedOK: true, executedOK: true),
    ])
    func conditions(_ example: Case) throws {
        let gtidS = try GTIDValue(example.gtidS, flavor: example.flavor)
        let gtidP = try GTIDValue(example.purged, flavor: example.flavor)
        let gtidE = try GTIDValue(example.executed, flavor: example.flavor)
        #expect(gtidP.isContained(in: gtidS) == example.purgedOK)
        #expect(gtidS.isContained(in: gtidE) == example.executedOK)
        #expect(gtidP.missing(from: gtidS).isEmpty == example.purgedOK)
        #expect(gtidS.missing(from: gtidE).isEmpty == example.executedOK)
    }

    @Test("What a candidate lacks is named precisely")
    func lacks() throws {
        let gtidS = try GTIDValue("\(a):1-14,\(b):1-100", flavor: .mysql)
        let gtidE = try GTIDValue("\(a):1-14,\(b):1-90", flavor: .mysql)
        #expect(gtidS.missing(from: gtidE).description == "\(b):91-100")
        let mariaS = try GTIDValue("0-1-100", flavor: .mariadb)
        let mariaE = try GTIDValue("0-1-90", flavor: .mariadb)
        #expect(mariaS.missing(from: mariaE).description == "domain 0: 91-100")
    }
}

@Suite("Flavor-neutral GTID values")
struct GTIDValueTests {
    @Test("Infers the dialect from the text", arguments: [
        ("\(a):1-5", GTIDFlavor.mariadb, GTIDFlavor.mysql),
        ("0-1-100", GTIDFlavor.mysql, GTIDFlavor.mariadb),
        ("", GTIDFlavor.mariadb, GTIDFlavor.mariadb),
        ("  ", GTIDFlavor.mysql, GTIDFlavor.mysql),
    ])
    func inference(text: String, fallback: GTIDFlavor, expected: GTIDFlavor) throws {
        #expect(try GTIDValue(inferringFlavorOf: text, fallback: fallback).flavor == expected)
    }

    @Test("Values of different flavors are never contained in each other")
    func flavorMismatch() throws {
        let mysql = GTIDValue.empty(.mysql)
        let mariadb = GTIDValue.empty(.mariadb)
        #expect(!mysql.isContained(in: mariadb))
        #expect(!mariadb.isContained(in: mysql))
        #expect(mysql.missing(from: mariadb) == .flavorMismatch)
        #expect(!GTIDDifference.flavorMismatch.isEmpty)
    }

    @Test("Origins are server UUIDs or domain ids")
    func origins() throws {
        #expect(try GTIDValue("\(a):1,\(b):2", flavor: .mysql).originIDs == [a, b])
        #expect(try GTIDValue("0-1-5,3-1-1", flavor: .mariadb).originIDs == ["0", "3"])
    }
}
