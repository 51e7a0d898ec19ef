import Foundation

/// Which language to write in: RFC 4647 "lookup" over the victim's own ordered list, widened
/// by CLDR parent locales (`pt-MZ` → `pt-PT` → `pt`, `es-MX` → `es-419` → `es`).
///
/// It never answers with a language outside the victim's list and its fallbacks: when none is
/// available the answer is "needs an interpreter", naming the victim's first language.
public enum LanguageResolver {
    public enum Resolution: Sendable, Equatable {
        /// Write in this catalog language.
        case language(String)
        /// No available language fits: a person with an interpreter must make contact.
        case needsInterpreter(firstLanguage: String)
    }

    public static func resolve(victimLanguages: [String], available: Set<String>) -> Resolution {
        var availableByKey: [String: String]?
        for tag in victimLanguages {
            for candidate in fallbacks(of: tag) {
                // Catalog tags are canonical, as the candidates are: most answers need no case folding.
                if available.contains(candidate) { return .language(candidate) }
                let byKey = availableByKey ?? Dictionary(available.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
                availableByKey = byKey
                if let match = byKey[candidate.lowercased()] { return .language(match) }
            }
        }
        return .needsInterpreter(firstLanguage: victimLanguages.first ?? "und")
    }

    /// The tag itself, then its CLDR parents, then plain truncation (RFC 4647 §3.4), without repeats.
    /// Remembered per tag: the CLDR walk goes through ICU and was a twentieth of the scheduler's CPU.
    public static func fallbacks(of tag: String) -> [String] {
        knownFallbacks.value(for: tag) { computeFallbacks(of: tag) }
    }

    private static let knownFallbacks = BoundedMemo<String, [String]>(limit: 10_000)

    private static func computeFallbacks(of tag: String) -> [String] {
        var result: [String] = []
        func add(_ candidate: String) {
            let canonical = LanguageTag.canonical(candidate)
            if !candidate.isEmpty, candidate != "root", !result.contains(canonical) { result.append(canonical) }
        }
        add(tag)
        var language = Locale.Language(identifier: tag)
        for _ in 0..<6 {
            guard let parent = language.parent else { break }
            let identifier = parent.minimalIdentifier
            guard identifier != "root", !identifier.isEmpty else { break }
            add(identifier)
            language = parent
        }
        var parts = tag.split(separator: "-").map(String.init)
        while parts.count > 1 {
            parts.removeLast()
            // A trailing singleton (e.g. the "u" of "-u-") never stands alone (RFC 4647 §3.4).
            if parts.last?.count == 1 { parts.removeLast() }
            if !parts.isEmpty { add(parts.joined(separator: "-")) }
        }
        return result
    }
}
