/// What a discreet sender must not say. A victim flagged for discreet contact may share a phone
/// or an inbox with someone who must not learn that the police are involved or what happened:
/// the sender id, sender name and subject they see must name neither the police nor a crime.
public enum NeutralWording {
    /// Lower-case words refused in discreet wording; a trailing `*` matches any word starting so
    /// (`investigat*` catches investigation and investigator). Words also match inside run-together
    /// sender ids at their start (`SAPSCare`), since sender ids have no spaces to spare. Case
    /// numbers (`CAS 123/11/2026`) are kept out by the templates, which may not quote them; the
    /// word "cas" itself is everyday French and Portuguese ("en cas d'urgence").
    public static let forbiddenTerms: [String] = [
        "police*", "polis*", "saps*", "cop", "cops", "constable*", "sergeant*", "sgt", "detective*", "officer*", "investigat*",
        "court", "courts", "crime*", "criminal*", "victim*", "offence*", "offense*", "case", "cases", "robbery*",
        "robberies", "theft*", "burglar*", "assault*", "violence*", "violent*", "abuse*", "rape*", "sexual*", "murder*",
        "homicide*", "hate", "stalking*", "harass*", "trafficking*",
    ]

    /// The forbidden terms found in `text` (without `*`), in list order; empty when it is neutral.
    public static func problems(in text: String) -> [String] {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        return forbiddenTerms.compactMap { term in
            let stem = term.hasSuffix("*")
            let bare = stem ? String(term.dropLast()) : term
            let found = words.contains { word in stem ? word.hasPrefix(bare) : word == bare }
            return found ? bare : nil
        }
    }
}
