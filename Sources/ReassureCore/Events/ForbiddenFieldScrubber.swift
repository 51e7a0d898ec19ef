/// Removes data Reassure must never hold — immigration status, citizenship, nationality, visa,
/// passport, asylum, residence permits, country of origin, ethnicity, race, religion — at any
/// depth and in any spelling (`immigration_status`, `ImmigrationStatus`, `immigration-status`).
///
/// Runs before validation, storage, logging or publishing. Warnings name the path, never the value.
public enum ForbiddenFieldScrubber {
    /// Normalised stems: a key is forbidden when its normalised form equals one of these or starts
    /// with one of the prefixes.
    static let forbiddenNames: Set<String> = [
        "immigrationstatus", "immigration", "citizenship", "citizen", "nationality", "nationalities",
        "residencepermit", "residencestatus", "residency", "countryoforigin", "origincountry",
        "countryofbirth", "birthcountry", "ethnicity", "ethnic", "ethnicorigin", "ethnicgroup", "race",
        "racialorigin", "religion", "religiousbelief", "faith", "migrationstatus", "refugeestatus",
        "legalstatus", "workpermit", "alienregistration", "alienid",
    ]
    static let forbiddenPrefixes: [String] = ["visa", "passport", "asylum", "immigration", "nationality", "citizenship", "ethnic"]

    /// The document without forbidden fields, and a warning per removed field.
    public static func scrub(_ document: JSONValue) -> (cleaned: JSONValue, warnings: [ScrubWarning]) {
        var warnings: [ScrubWarning] = []
        let cleaned = scrub(document, path: "", warnings: &warnings)
        return (cleaned, warnings.sorted { $0.path < $1.path })
    }

    /// True for a key that names forbidden data, in any case or separator style.
    public static func isForbidden(_ key: String) -> Bool {
        let normalised = String(key.lowercased().unicodeScalars.filter { CharacterSetLetters.contains($0) })
        if forbiddenNames.contains(normalised) { return true }
        return forbiddenPrefixes.contains { normalised.hasPrefix($0) }
    }

    private static func scrub(_ value: JSONValue, path: String, warnings: inout [ScrubWarning]) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (key, child) in object {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if isForbidden(key) {
                    warnings.append(ScrubWarning(path: childPath))
                } else {
                    kept[key] = scrub(child, path: childPath, warnings: &warnings)
                }
            }
            return .object(kept)
        case .array(let array):
            return .array(array.enumerated().map { scrub($1, path: "\(path)[\($0)]", warnings: &warnings) })
        default:
            return value
        }
    }
}

/// ASCII letters and digits: separators (`_`, `-`, spaces, dots) vanish when normalising keys.
private enum CharacterSetLetters {
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
    }
}
