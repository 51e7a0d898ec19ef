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
}
