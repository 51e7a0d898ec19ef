import Foundation

/// JSON Lines as integrators keep them (`reassure validate`, `reassure emit`): one document a
/// line, blank lines skipped, `\r\n` endings allowed. Split on bytes: splitting the text into
/// Characters and trimming each line through Foundation was two thirds of `reassure validate`'s
/// CPU over 200,000 events.
public enum JSONLines {
    public struct Line: Sendable {
        /// 1-based, counting blank lines, as an editor shows it.
        public let number: Int
        /// The line without surrounding whitespace.
        public let bytes: Data

        /// Why the line is not a JSON document, for a rejection: a line in another encoding is
        /// named as such, since "not valid JSON" would send the integrator looking for a typo.
        public var unreadableReason: String {
            String(validating: bytes, as: UTF8.self) == nil
                ? "line is not UTF-8 text; save the file as UTF-8"
                : "line is not valid JSON"
        }
    }

    /// The non-blank lines of `data`, as slices of it (no copies) unless Unicode trimming applied.
    public static func lines(_ data: Data) -> [Line] {
        var lines: [Line] = []
        let base = data.startIndex
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var number = 0
            while start <= bytes.count {
                number += 1
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                var lower = start, upper = end
                while lower < upper, isASCIIWhitespace(bytes[lower]) { lower += 1 }
                while upper > lower, isASCIIWhitespace(bytes[upper - 1]) { upper -= 1 }
                if lower < upper {
                    let line = data[base + lower..<base + upper]
                    if bytes[lower] < 0x80 && bytes[upper - 1] < 0x80 {
                        lines.append(Line(number: number, bytes: line))
                    } else if let unicodeTrimmed = unicodeTrimmed(line) {
                        lines.append(Line(number: number, bytes: unicodeTrimmed))
                    }
                }
                start = end + 1
            }
        }
        return lines
    }

    /// A line that begins or ends in a non-ASCII byte, trimmed of Unicode whitespace as well (a
    /// no-break space copied from a spreadsheet), as these files always were; nil when nothing
    /// else is left. Bytes that are not UTF-8 are left for the parser to refuse.
    private static func unicodeTrimmed(_ line: Data) -> Data? {
        guard let text = String(data: line, encoding: .utf8) else { return line }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : Data(trimmed.utf8)
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
