import Synchronization

/// Results remembered by key, for pure work repeated with few distinct inputs (template texts,
/// language tags, day lists). Inputs come from events, so a flood of distinct keys empties the
/// memo at `limit` entries rather than growing it without end.
final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// The remembered value for `key`, else `make()`'s, remembered; a throwing `make` remembers nothing.
    func value(for key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let known = entries.withLock({ $0[key] }) { return known }
        let value = try make()
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll() }
            entries[key] = value
        }
        return value
    }
}
