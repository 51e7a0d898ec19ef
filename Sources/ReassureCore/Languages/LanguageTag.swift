/// Well-formedness of BCP 47 language tags (RFC 5646 §2.1), case-insensitive, plus the
/// canonical casing Reassure stores (`pt-MZ`, `zh-Hant-TW`, `es-419`).
public enum LanguageTag {
    /// `nil` when `tag` is a well-formed BCP 47 tag, otherwise what is wrong.
    public static func problem(_ tag: String) -> String? {
        knownProblems.value(for: tag) { uncachedProblem(tag) }
    }

    /// Tags repeat from event to event (`so`, `en`), and checking one walks it by Characters.
    private static let knownProblems = BoundedMemo<String, String?>(limit: 4_096)
    private static let knownCanonical = BoundedMemo<String, String>(limit: 4_096)

    private static func uncachedProblem(_ tag: String) -> String? {
        guard wellFormed(tag) else { return "must be a well-formed BCP 47 language tag, e.g. so, pt-MZ, es-419" }
        // Well-formed but never assigned: 4 to 8 letter primary subtags ("english") are reserved.
        let primary = tag.split(separator: "-").first.map(String.init) ?? ""
        if primary.count >= 4, primary.lowercased() != "x" {
            return "must start with a 2- or 3-letter ISO 639 language code (e.g. en, not english)"
        }
        return nil
    }

    public static func wellFormed(_ tag: String) -> Bool {
        guard !tag.isEmpty, tag.count <= 64, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return false
        }
        let subtags = tag.lowercased().split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard !subtags.contains(where: \.isEmpty) else { return false }
        if subtags[0] == "x" { return privateUse(subtags[...]) }
        var index = 0
        // language: 2-3 letters (+ up to 3 extlangs), or 4, or 5-8 letters
        let language = subtags[0]
        guard language.allSatisfy(\.isLetter), (2...8).contains(language.count) else { return false }
        index = 1
        if language.count <= 3 {
            var extlangs = 0
            while index < subtags.count, subtags[index].count == 3, subtags[index].allSatisfy(\.isLetter), extlangs < 3 {
                index += 1
                extlangs += 1
            }
        }
        if index < subtags.count, subtags[index].count == 4, subtags[index].allSatisfy(\.isLetter) { index += 1 }
        if index < subtags.count, isRegion(subtags[index]) { index += 1 }
        var variants: Set<String> = []
        while index < subtags.count, isVariant(subtags[index]) {
            guard variants.insert(subtags[index]).inserted else { return false }
            index += 1
        }
        var singletons: Set<String> = []
        while index < subtags.count, subtags[index].count == 1, subtags[index] != "x" {
            guard singletons.insert(subtags[index]).inserted else { return false }
            index += 1
            var parts = 0
            while index < subtags.count, (2...8).contains(subtags[index].count) {
                index += 1
                parts += 1
            }
            guard parts > 0 else { return false }
        }
        if index < subtags.count, subtags[index] == "x" { return privateUse(subtags[index...]) }
        return index == subtags.count
    }

    private static func isRegion(_ subtag: String) -> Bool {
        (subtag.count == 2 && subtag.allSatisfy(\.isLetter)) || (subtag.count == 3 && subtag.allSatisfy(\.isNumber))
    }

    private static func isVariant(_ subtag: String) -> Bool {
        (5...8).contains(subtag.count) || (subtag.count == 4 && subtag.first!.isNumber)
    }

    private static func privateUse(_ subtags: ArraySlice<String>) -> Bool {
        subtags.count >= 2 && subtags.dropFirst().allSatisfy { (1...8).contains($0.count) }
    }

    /// Canonical casing: language lower, script title, region upper (`PT-mz` → `pt-MZ`).
    public static func canonical(_ tag: String) -> String {
        knownCanonical.value(for: tag) { uncachedCanonical(tag) }
    }

    private static func uncachedCanonical(_ tag: String) -> String {
        let parts = tag.split(separator: "-").map(String.init)
        return parts.enumerated().map { index, part in
            guard index > 0 else { return part.lowercased() }
            if parts[index - 1].count == 1 { return part.lowercased() }
            if part.count == 4, part.allSatisfy(\.isLetter) { return part.prefix(1).uppercased() + part.dropFirst().lowercased() }
            if part.count == 2, part.allSatisfy(\.isLetter) { return part.uppercased() }
            return part.lowercased()
        }.joined(separator: "-")
    }
}
