import Foundation

/// What a victim's reply asks for. STOP and CALL/HELP are acted on at once; anything else is
/// kept for a person to read — Reassure never answers questions about a case.
public enum ReplyIntent: String, Sendable, Codable, Equatable, CaseIterable {
    /// Opt out now; confirmed once.
    case stop
    /// Opt back in.
    case start
    /// Wants a call back: a callback task.
    case call
    /// Asks for help: a callback task too.
    case help
    /// Anything else: a task for a person to read.
    case other
}

/// Classifies replies in every shipped language, ignoring case, accents and punctuation.
public struct ReplyClassifier: Sendable {
    /// Digits a victim may send instead of a word (configurable per deployment).
    public var digits: [String: ReplyIntent]
    private let keywords: [String: ReplyIntent]
    private let optOutPhrases: [String]

    public init(digits: [String: ReplyIntent] = ["1": .call, "0": .stop]) {
        self.digits = digits
        var keywords: [String: ReplyIntent] = [:]
        for (intent, words) in ReplyVocabulary.keywords {
            for word in words { keywords[Self.normalise(word)] = intent }
        }
        self.keywords = keywords
        optOutPhrases = ReplyVocabulary.optOutPhrases.map(Self.normalise)
    }

    public func classify(_ text: String) -> ReplyIntent {
        let normalised = Self.normalise(text)
        guard !normalised.isEmpty else { return .other }
        if let intent = digits[normalised] { return intent }
        if let intent = keywords[normalised] { return intent }
        // "STOP please", "please stop", "HELP!!" — a keyword with politeness around it.
        let words = normalised.split(separator: " ").map(String.init).filter { !ReplyVocabulary.politeness.contains($0) }
        if !words.isEmpty, words.count <= 2 {
            let joined = words.joined(separator: " ")
            if let intent = keywords[joined] ?? digits[joined] { return intent }
            if words.count == 1, let intent = keywords[words[0]] { return intent }
        }
        if optOutPhrases.contains(where: { normalised.contains($0) }) { return .stop }
        return .other
    }

    /// Lower case, accents and punctuation removed, single spaces.
    static func normalise(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let cleaned = folded.unicodeScalars.map { scalar -> Character in
            CharacterSet.punctuationCharacters.contains(scalar) || CharacterSet.symbols.contains(scalar) ? " " : Character(scalar)
        }
        return String(cleaned).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
