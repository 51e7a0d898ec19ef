/// Hexadecimal for digests, keys, indexes and UUIDs, without the C library:
/// `String(format: "%02x")` per byte went through vfprintf and was a thirtieth of the
/// scheduler's CPU (the phone blind index).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    /// Lower case (digests, keys); `uppercase` for UUIDs, as `uuidString` writes them.
    public static func string(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, uppercase: uppercase, to: &characters) }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Appends `byte`'s two digits.
    static func append(_ byte: UInt8, uppercase: Bool, to characters: inout [UInt8]) {
        let digits = uppercase ? upperDigits : digits
        characters.append(digits[Int(byte >> 4)])
        characters.append(digits[Int(byte & 0x0F)])
    }

    /// The bytes `text` spells, two digits each, in either case; nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count / 2)
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    /// One hexadecimal digit's value.
    static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
