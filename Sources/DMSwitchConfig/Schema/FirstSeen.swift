/// Remembers where each value was first seen, for "already used at line N" problems.
struct FirstSeen<Value: Hashable, Place> {
    private var places: [Value: Place] = [:]

    /// Where `value` was seen before; `nil` the first time, when `place` is remembered.
    mutating func earlier(_ value: Value, at place: Place) -> Place? {
        if let earlier = places[value] { return earlier }
        places[value] = place
        return nil
    }

    /// Where `value` was first seen, without remembering anything.
    func place(of value: Value) -> Place? {
        places[value]
    }
}
