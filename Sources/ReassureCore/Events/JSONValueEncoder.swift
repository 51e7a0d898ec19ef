import Foundation

/// Encodes an `Encodable` into a `JSONValue` tree, which `JSONValue.serialized()` writes out.
/// Ingest re-encodes every accepted event (the typed model keeps nothing outside the contract);
/// JSONEncoder with a date strategy spent more on that than on validating the event.
/// `date` turns a `Date` into its JSON value (for events: RFC 3339 text).
public struct JSONValueEncoder {
    public var date: @Sendable (Date) -> JSONValue

    public init(date: @escaping @Sendable (Date) -> JSONValue = { .string(RFC3339.format($0)) }) {
        self.date = date
    }

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try TreeEncoder.slot(for: value, parent: [], key: nil, date: date).materialized
    }
}

/// A place in the tree being built: finished values, or objects and arrays still being filled.
private enum Slot {
    case value(JSONValue)
    case object(ObjectBox)
    case array(ArrayBox)

    var materialized: JSONValue {
        switch self {
        case .value(let value): value
        case .object(let box): .object(JSONObject(box.members.mapValues(\.materialized)))
        case .array(let box): .array(box.elements.map(\.materialized))
        }
    }
}

private final class ObjectBox {
    var members: [String: Slot] = [:]
}

private final class ArrayBox {
    var elements: [Slot] = []
}

private final class TreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    let date: @Sendable (Date) -> JSONValue
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var slot: Slot?

    init(codingPath: [any CodingKey], date: @escaping @Sendable (Date) -> JSONValue) {
        self.codingPath = codingPath
        self.date = date
    }

    /// The slot for one value: scalars directly, anything else through its `encode(to:)`.
    /// Scalars are recognised by type identity, not `as?` casts (a struct failed six casts
    /// before being encoded), and the coding path (`parent` + `key`) is only built for a nested
    /// encoder or an error: an array per member was most of the cost of encoding an event.
    static func slot<T: Encodable>(for value: T, parent: [any CodingKey], key: (any CodingKey)?,
                                   date: @escaping @Sendable (Date) -> JSONValue) throws -> Slot {
        func path() -> [any CodingKey] { key.map { parent + [$0] } ?? parent }
        if T.self == String.self { return .value(.string(value as! String)) }
        if T.self == Bool.self { return .value(.bool(value as! Bool)) }
        if T.self == Int.self { return .value(.number(Double(value as! Int))) }
        if T.self == Date.self { return .value(date(value as! Date)) }
        if T.self == Double.self { return try .value(finite(value as! Double, path())) }
        if T.self == JSONValue.self { return .value(value as! JSONValue) }
        if T.self == UUID.self { return .value(.string(UUIDText.string(value as! UUID))) }
        let encoder = TreeEncoder(codingPath: path(), date: date)
        try value.encode(to: encoder)
        return encoder.slot ?? .value(.object([:]))
    }

    static func finite(_ number: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: codingPath, debugDescription: "JSON has no \(number)"))
        }
        return .number(number)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = slot { box = existing } else {
            box = ObjectBox()
            slot = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath, date: date))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = slot { box = existing } else {
            box = ArrayBox()
            slot = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: codingPath, date: date)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.slot = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.slot = try TreeEncoder.slot(for: value, parent: codingPath, key: nil, date: encoder.date)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]
    let date: @Sendable (Date) -> JSONValue

    mutating func encodeNil(forKey key: Key) throws { box.members[key.stringValue] = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.members[key.stringValue] = try TreeEncoder.slot(for: value, parent: codingPath, key: key, date: date)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.members[key.stringValue] = .object(nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key], date: date))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.members[key.stringValue] = .array(nested)
        return UnkeyedContainer(box: nested, codingPath: codingPath + [key], date: date)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let nested = ObjectBox()
        box.members[name] = .object(nested)
        let encoder = TreeEncoder(codingPath: codingPath, date: date)
        encoder.slot = .object(nested)
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    let date: @Sendable (Date) -> JSONValue
    var count: Int { box.elements.count }

    mutating func encodeNil() throws { box.elements.append(.value(.null)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try TreeEncoder.slot(for: value, parent: codingPath, key: JSONIndexKey(count), date: date))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        let path = codingPath + [JSONIndexKey(count)]
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: path, date: date))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let path = codingPath + [JSONIndexKey(count)]
        box.elements.append(.array(nested))
        return UnkeyedContainer(box: nested, codingPath: path, date: date)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = ObjectBox()
        box.elements.append(.object(nested))
        let encoder = TreeEncoder(codingPath: codingPath, date: date)
        encoder.slot = .object(nested)
        return encoder
    }
}

extension JSONValue {
    /// Compact JSON text with object keys sorted and slashes unescaped: byte for byte what
    /// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for the same value.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else {
                out.append(contentsOf: "\(number)".utf8)
            }
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sortedByKey.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
