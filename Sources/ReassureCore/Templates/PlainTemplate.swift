/// A template whose only tags are plain `{{name}}` placeholders — every shipped catalog text.
/// Filled by concatenation: the same text swift-mustache renders for such a template (values
/// as they are, a missing one empty), at about a tenth of the cost of its general renderer,
/// which took 11 µs a message, and every contact is rendered twice (planned, then sent).
/// Anything more (sections, inverted sections, `{{{…}}}`, partials, comments, spaces inside
/// the braces) is not plain, and stays with swift-mustache.
struct PlainTemplate: Sendable {
    private enum Piece: Sendable {
        case text(Substring)
        case placeholder(String)
    }

    private let pieces: [Piece]

    /// Nil when `text` has any tag other than `{{name}}` (name: a-z, 0-9, `_`).
    init?(_ text: String) {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            let name = rest[open.upperBound..<close.lowerBound]
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else { return nil }
            if open.lowerBound > rest.startIndex { pieces.append(.text(rest[..<open.lowerBound])) }
            pieces.append(.placeholder(String(name)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(rest)) }
        self.pieces = pieces
    }

    func render(_ values: [String: String]) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .placeholder(let name): out += values[name] ?? ""
            }
        }
        return out
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }
}
