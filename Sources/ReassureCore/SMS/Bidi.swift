/// Keeps numbers and references readable inside right-to-left text: a phone number or
/// `CAS 123/11/2026` embedded in Arabic is wrapped in FIRST STRONG ISOLATE (U+2068) … POP
/// DIRECTIONAL ISOLATE (U+2069), so its digits and slashes are not reordered.
public enum Bidi {
    public static let firstStrongIsolate: Character = "\u{2068}"
    public static let popDirectionalIsolate: Character = "\u{2069}"

    /// Languages written right to left (primary subtag).
    static let rightToLeftLanguages: Set<String> = ["ar", "ur", "fa", "ps", "he", "yi", "sd", "ug", "dv", "ckb"]

    public static func isRightToLeft(language: String) -> Bool {
        let primary = language.split(separator: "-").first.map { String($0).lowercased() } ?? ""
        return rightToLeftLanguages.contains(primary)
    }

    /// `value` wrapped in isolates (once: an already wrapped value is returned as it is).
    public static func isolate(_ value: String) -> String {
        guard !value.isEmpty, value.first != firstStrongIsolate else { return value }
        return String(firstStrongIsolate) + value + String(popDirectionalIsolate)
    }
}
