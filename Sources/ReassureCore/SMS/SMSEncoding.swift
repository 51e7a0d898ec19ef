/// How an SMS body travels and how many parts it costs: GSM-7 when every character fits (160 per
/// single message, 153 per part, extension characters counting double), otherwise UCS-2 (70, or
/// 67 per part, characters outside the BMP counting double). Parts never split a character.
public enum SMSEncoding: String, Sendable, Codable, Equatable {
    case gsm7 = "gsm-7"
    case ucs2 = "ucs-2"

    public struct Count: Sendable, Equatable {
        public let encoding: SMSEncoding
        /// Septets (GSM-7) or UTF-16 code units (UCS-2).
        public let units: Int
        public let segments: Int
    }

    /// The encoding and part count a provider will bill for `text`.
    public static func count(_ text: String) -> Count {
        if let sizes = gsm7Septets(text) {
            return Count(encoding: .gsm7, units: sizes.reduce(0, +), segments: segments(sizes, single: 160, part: 153))
        }
        let sizes = text.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
        return Count(encoding: .ucs2, units: sizes.reduce(0, +), segments: segments(sizes, single: 70, part: 67))
    }

    /// Septets per character, or nil when one character is not in GSM-7. Scalar by scalar
    /// first (a table lookup each, where a Character costs a grapheme-break check); only text
    /// with a scalar the table does not know (a decomposed "é", which GSM-7 carries as one
    /// character, or "\r\n", one character of two septets) is counted by Character.
    static func gsm7Septets(_ text: String) -> [Int]? {
        var sizes: [Int] = []
        sizes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let septets = scalar.value < 128 ? GSM7.asciiSeptets[Int(scalar.value)] : GSM7.septetsByScalar[scalar.value] ?? 0
            guard septets > 0, scalar != "\r" else { return characterSeptets(text) }
            sizes.append(Int(septets))
        }
        return sizes
    }

    private static func characterSeptets(_ text: String) -> [Int]? {
        var sizes: [Int] = []
        for character in text {
            guard let septets = GSM7.septets(character) else { return nil }
            sizes.append(septets)
        }
        return sizes
    }

    public static func segments(for text: String) -> Int { count(text).segments }

    /// Fills parts greedily; a character that does not fit starts the next part.
    private static func segments(_ sizes: [Int], single: Int, part: Int) -> Int {
        let total = sizes.reduce(0, +)
        if total == 0 { return 1 }
        if total <= single { return 1 }
        var parts = 1
        var used = 0
        for size in sizes {
            if used + size > part {
                parts += 1
                used = 0
            }
            used += size
        }
        return parts
    }

    /// Replaces typographic punctuation with its GSM-7 equivalent where the meaning is the same
    /// (curly quotes, dashes, ellipsis, non-breaking spaces), so one smart quote does not turn a
    /// message into UCS-2 and double its cost.
    public static func normalisedForGSM(_ text: String) -> String {
        // Scalar by scalar: comparing Characters costs a Unicode normalisation each time, and
        // every replaced character is a single scalar. Plain ASCII has nothing to replace.
        if text.utf8.allSatisfy({ $0 < 0x60 || ($0 > 0x60 && $0 < 0x80) }) { return text }
        // Most texts in other scripts (Amharic, Arabic) have nothing to replace either.
        guard text.unicodeScalars.contains(where: { gsmReplacement(for: $0) != nil }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replacement = gsmReplacement(for: scalar) {
                result.append(contentsOf: replacement.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func gsmReplacement(for scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x2018, 0x2019, 0x201A, 0x2032, 0x00B4, 0x60: "'"
        case 0x201C, 0x201D, 0x201E, 0x2033, 0xAB, 0xBB: "\""
        case 0x2013, 0x2014, 0x2012, 0x2212, 0x2010, 0x2011, 0x2022: "-"
        case 0x2026: "..."
        case 0x00A0, 0x2007, 0x202F, 0x2009, 0x200A: " "
        default: nil
        }
    }
}
