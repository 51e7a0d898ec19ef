/// The GSM 03.38 default alphabet and its extension table: what an SMS can carry in 7 bits.
enum GSM7 {
    static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    /// Sent as an escape plus a character: each counts as two.
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    /// Septets for `character`, or `nil` when GSM-7 cannot carry it.
    static func septets(_ character: Character) -> Int? {
        if character == "\r\n" { return 2 }
        if basic.contains(character) { return 1 }
        if extended.contains(character) { return 2 }
        return nil
    }

    /// Septets by Unicode scalar, for counting without forming Characters: every character of
    /// both tables is a single scalar. 0 means "not in GSM-7".
    static let septetsByScalar: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for character in basic { for scalar in character.unicodeScalars { table[scalar.value] = 1 } }
        for character in extended { for scalar in character.unicodeScalars { table[scalar.value] = 2 } }
        return table
    }()

    /// The same answer as `septets`, for ASCII scalars, from a flat table (0: not in GSM-7).
    static let asciiSeptets: [UInt8] = (0..<128).map { value in septetsByScalar[UInt32(value)] ?? 0 }
}
