/// A JSON object's members in document order, each name once (the first wins, as `JSONDecoder`
/// keeps it). An event's objects hold a handful of members, and finding one by comparing names
/// costs less than hashing: as a `Dictionary`, hashing and building the tables were about 8% of
/// the service's CPU in `bench ingest`. An object with many members (only a hostile body has
/// them) keeps a hash index as well, so no lookup or parse grows with the square of its size.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    /// From this many members on, names are also found through `index`.
    static let indexedFrom = 16

    private var members: [Element]
    /// Position of each name in `members`; only for large objects.
    private var index: [String: Int]?

    public init() {
        members = []
    }


    /// Members that the caller knows to have distinct names (the parser checks as it reads).
    init(distinct members: [Element]) {
        self.members = members
        indexIfLarge()
    }

    /// From a dictionary, in the order of its names (a dictionary has no order of its own).
    public init(_ dictionary: [String: JSONValue]) {
        self.init(distinct: dictionary.sorted { $0.key < $1.key })
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        for (key, value) in elements { appendIfAbsent(key, value) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: LazyMapSequence<[Element], String> { members.lazy.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    /// The member named `key`; setting `nil` removes it, setting a new name appends it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let position?, let value?):
                members[position].value = value
            case (let position?, nil):
                members.remove(at: position)
                index = nil
                indexIfLarge()
            case (nil, let value?):
                appendIfAbsent(key, value)
            case (nil, nil):
                break
            }
        }
    }

    /// Adds a member unless the name is taken: a repeated name keeps its first value, as
    /// `JSONDecoder` does.
    mutating func appendIfAbsent(_ key: String, _ value: JSONValue) {
        if index == nil {
            guard !members.contains(where: { $0.key == key }) else { return }
            members.append((key, value))
            if members.count >= Self.indexedFrom { indexIfLarge() }
        } else if index?[key] == nil {
            members.append((key, value))
            index?[key] = members.count - 1
        }
    }

    /// The members sorted by name, as JSON is written with sorted keys.
    public var sortedByKey: [Element] {
        members.sorted { $0.key < $1.key }
    }

    public var dictionary: [String: JSONValue] {
        Dictionary(members, uniquingKeysWith: { first, _ in first })
    }

    /// Equal members, in any order (JSON objects are unordered).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func indexIfLarge() {
        guard index == nil, members.count >= Self.indexedFrom else { return }
        var positions = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { positions[member.key] = position }
        index = positions
    }
}
