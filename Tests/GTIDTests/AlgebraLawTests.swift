import Testing
@testable import GTID

/// A seeded generator so that a failing law can be replayed exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private let uuids = [
    "3ccc475b-2343-11e7-be21-6c0b84d59f30",
    "406a3f61-690d-11e7-87c5-6c92bf46f384",
    "c0149e17-dff1-11e8-b6a8-0242ac110004",
]

private func randomSet(_ rng: inout SplitMix64) -> GTIDSet {
    var text: [String] = []
    for uuid in uuids where Bool.random(using: &rng) {
        let tags = ["", "", "t1"]
        var parts: [String] = []
        for tag in tags where Bool.random(using: &rng) {
            var intervals: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let start = UInt64.random(in: 1...40, using: &rng)
                let end = start + UInt64.random(in: 0...8, using: &rng)
                intervals.append(start == end ? "\(start)" : "\(start)-\(end)")
            }
            parts.append((tag.isEmpty ? "" : "\(tag):") + intervals.joined(separator: ":"))
        }
        if !parts.isEmpty { text.append("\(uuid.uppercased()):" + parts.joined(separator: ":")) }
    }
    // Generated text is well formed by construction.
    return try! GTIDSet(text.joined(separator: ",\n"))
}

private func randomPosition(_ rng: inout SplitMix64) -> MariaDBGTIDPosition {
    var gtids: [MariaDBGTID] = []
    for domain in UInt32(0)...2 where Bool.random(using: &rng) {
        for server in UInt32(1)...2 where Bool.random(using: &rng) {
            gtids.append(MariaDBGTID(domain: domain, server: server, sequence: UInt64.random(in: 0...50, using: &rng)))
        }
    }
    return MariaDBGTIDPosition(gtids)
}

/// Membership of one transaction, the ground truth the algebra must agree with.
private func contains(_ set: GTIDSet, _ origin: GTIDSet.Origin, _ number: UInt64) -> Bool {
    set.origins[origin]?.intervals.contains { $0.contains(number) } ?? false
}

@Suite("GTID algebra laws over generated sets")
struct AlgebraLawTests {
    @Test("Set laws hold for thousands of generated MySQL sets", arguments: [1, 2, 3, 4] as [UInt64])
    func mysqlLaws(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for _ in 0..<1000 {
            let x = randomSet(&rng)
            let y = randomSet(&rng)
            #expect(x.isSubset(of: x.union(y)))
            #expect(y.isSubset(of: x.union(y)))
            #expect(x.subtracting(y).intersection(y).isEmpty)
            #expect(x.subtracting(y).union(x.intersection(y)) == x)
            #expect(try GTIDSet(x.description) == x)
            #expect(x.union(y) == y.union(x))
            #expect(x.intersection(y) == y.intersection(x))
            #expect(x.intersection(y).isSubset(of: x))
            #expect(x.isSubset(of: y) == x.subtracting(y).isEmpty)
            #expect(x.union(y).transactionCount
                == x.transactionCount + y.transactionCount - x.intersection(y).transactionCount)
            for origin in Set(x.origins.keys).union(y.origins.keys) {
                for number in UInt64(1)...50 {
                    let inX = contains(x, origin, number)
                    let inY = contains(y, origin, number)
                    #expect(contains(x.union(y), origin, number) == (inX || inY))
                    #expect(contains(x.subtracting(y), origin, number) == (inX && !inY))
                    #expect(contains(x.intersection(y), origin, number) == (inX && inY))
                }
            }
        }
    }

    @Test("Position laws hold for thousands of generated MariaDB positions", arguments: [5, 6] as [UInt64])
    func mariadbLaws(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for _ in 0..<2000 {
            let x = randomPosition(&rng)
            let y = randomPosition(&rng)
            #expect(x.union(y).includes(x))
            #expect(x.union(y).includes(y))
            #expect(x.includes(x))
            #expect(x.includes(y) == x.missing(comparedTo: y).isEmpty)
            #expect(try MariaDBGTIDPosition(x.description) == x)
        }
    }
}
