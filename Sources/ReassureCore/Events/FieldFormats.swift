import Foundation

/// Syntax checks for the formats the event contract names. Each returns `nil` when the value
/// is fine, or the problem in words (without echoing the value).
public enum FieldFormats {
    /// E.164: `+`, a non-zero digit, 7 to 15 digits in all.
    public static func e164Problem(_ value: String) -> String? {
        asciiE164IsValid(value) ? nil : characterE164Problem(value)
    }

    /// The common, valid case checked byte by byte: an ASCII digit is one byte and one Character.
    static func asciiE164IsValid(_ value: String) -> Bool {
        let bytes = value.utf8
        return bytes.first == UInt8(ascii: "+") && (8...16).contains(bytes.count) && bytes.dropFirst().first != UInt8(ascii: "0")
            && bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `e164Problem` for any text, by Characters.
    static func characterE164Problem(_ value: String) -> String? {
        let digits = value.dropFirst()
        guard value.first == "+", (7...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit),
              digits.first != "0" else {
            return "must be an E.164 phone number: + then 7 to 15 digits, no spaces (e.g. +27821234567)"
        }
        return nil
    }

    /// A plain address: one `@`, a non-empty local part, a dotted domain, no spaces, ≤ 254 chars.
    public static func emailProblem(_ value: String) -> String? {
        if let valid = asciiEmailIsValid(value) { return valid ? nil : "must be an email address like name@example.org" }
        return characterEmailProblem(value)
    }

    /// `emailProblem` for any text, by Characters.
    static func characterEmailProblem(_ value: String) -> String? {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
              !value.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" }) else {
            return "must be an email address like name@example.org"
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              labels.last!.count >= 2 else {
            return "must be an email address like name@example.org"
        }
        return nil
    }

    /// Whether an all-ASCII address passes `emailProblem`, checked byte by byte; nil for any
    /// other address, which takes the Characters path. In ASCII a byte is a Character, except
    /// CR LF, which is whitespace and refused by both.
    static func asciiEmailIsValid(_ value: String) -> Bool? {
        let bytes = Array(value.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")), !bytes[(at + 1)...].contains(UInt8(ascii: "@")),
              at > 0, at <= 64,
              !bytes.contains(where: { (0x09...0x0D).contains($0) || $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";")
                  || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else { return false }
        let labels = bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.last!.count >= 2
            && labels.allSatisfy { !$0.isEmpty && $0.count <= 63 && $0.first != UInt8(ascii: "-") && $0.last != UInt8(ascii: "-") }
    }

    /// RFC 3339 date-time with a zone offset (`2026-11-20T09:30:00Z`, fractions allowed).
    public static func rfc3339(_ value: String) -> Date? {
        RFC3339.parse(value)
    }

    /// An IANA time zone the system knows (tzdata).
    public static func timeZoneProblem(_ value: String) -> String? {
        TimeZone(identifier: value) == nil || value.isEmpty
            ? "must be an IANA time zone known to the system, e.g. Africa/Johannesburg" : nil
    }

    /// `HH:MM`, 00:00–24:00.
    public static func minuteOfDay(_ value: String) -> Int? {
        let parts = value.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour), (0...59).contains(minute),
              hour * 60 + minute <= 24 * 60 else { return nil }
        return hour * 60 + minute
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}
