import Foundation

/// Compact JSON text written front to back; commas go in by themselves. Strings are escaped as
/// `JSONValue.serialized()` escapes them. For the messages written by the thousand (events,
/// receipts, due contacts), where going through Codable cost more than the work itself; the
/// caller writes members in sorted order, as `serialized()` does, and a test compares.
public struct JSONTextWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element follows another in the same object or array.
    private var followsValue = false

    public init(capacity: Int = 768) { bytes.reserveCapacity(capacity) }

    public mutating func object(_ members: (inout JSONTextWriter) -> Void) {
        open(UInt8(ascii: "{"))
        members(&self)
        close(UInt8(ascii: "}"))
    }

    public mutating func array(_ elements: (inout JSONTextWriter) -> Void) {
        open(UInt8(ascii: "["))
        elements(&self)
        close(UInt8(ascii: "]"))
    }

    /// A member whose value the closure writes.
    public mutating func member(_ name: String, _ value: (inout JSONTextWriter) -> Void) {
        separate()
        JSONValue.writeString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        followsValue = false
        value(&self)
    }

    /// An array member of strings.
    public mutating func member(_ name: String, strings: some Sequence<String>) {
        member(name) { out in out.array { out in for text in strings { out.string(text) } } }
    }

    /// An array member of objects, one per element, whose members `write` writes.
    public mutating func member<Elements: Sequence>(_ name: String, objects elements: Elements,
                                                    _ write: (inout JSONTextWriter, Elements.Element) -> Void) {
        member(name) { out in
            out.array { out in
                for element in elements { out.object { out in write(&out, element) } }
            }
        }
    }

    /// A string member, left out when nil.
    public mutating func member(_ name: String, _ text: String?) {
        guard let text else { return }
        member(name) { out in out.string(text) }
    }

    public mutating func string(_ text: String) {
        separate()
        JSONValue.writeString(text, into: &bytes)
        followsValue = true
    }

    /// An integer member, left out when nil.
    public mutating func member(_ name: String, _ number: Int?) {
        guard let number else { return }
        member(name) { out in out.number(number) }
    }

    /// A time member as `RFC3339.format` writes it, left out when nil.
    public mutating func member(_ name: String, _ time: Date?) {
        guard let time else { return }
        member(name, RFC3339.format(time))
    }

    public mutating func number(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        followsValue = true
    }

    public mutating func bool(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        followsValue = true
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        followsValue = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        followsValue = true
    }

    private mutating func separate() {
        if followsValue { bytes.append(UInt8(ascii: ",")) }
    }
}
