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
        // Nearly every document has nothing to remove: a walk that keeps no path says so for less
        // (the path's bookkeeping was a third of scrubbing in `bench ingest`).
        guard containsForbidden(document) else { return (document, []) }
        var warnings: [ScrubWarning] = []
        var path: [Step] = []
        let cleaned = scrub(document, path: &path, warnings: &warnings) ?? document
        return (cleaned, warnings.sorted { $0.path < $1.path })
    }

    /// The event contract's own member names, none of them forbidden (a test checks): most keys
    /// of every event are these, and one set lookup clears them without normalising.
    static let contractNames: Set<String> = [
        "id", "type", "occurred_at", "case", "reference", "unit", "category", "priority", "victim", "ref", "given_name",
        "languages", "timezone", "contact", "sms", "email", "preferred_channel", "safe_to_contact", "consent", "status",
        "at", "method", "language", "windows", "days", "from", "to", "discreet_contact", "officer", "name", "phone",
        "update", "kind", "outcome", "code", "events",
    ]

    /// True for a key that names forbidden data, in any case or separator style.
    public static func isForbidden(_ key: String) -> Bool {
        !contractNames.contains(key) && normalisedIsForbidden(key)
    }

    /// The check itself, on the key's normalised form.
    static func normalisedIsForbidden(_ key: String) -> Bool {
        let normalised = asciiNormalised(key) ?? String(key.lowercased().unicodeScalars.filter { CharacterSetLetters.contains($0) })
        if forbiddenNames.contains(normalised) { return true }
        return forbiddenPrefixes.contains { normalised.hasPrefix($0) }
    }

    /// The normalised form of an all-ASCII key without `lowercased()`; nil for any other key,
    /// which takes the Unicode path (some non-ASCII letters lower-case to ASCII ones: "İ", "K").
    private static func asciiNormalised(_ key: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            case 0x80...: return nil
            default: continue
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func containsForbidden(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): object.contains { key, child in isForbidden(key) || containsForbidden(child) }
        case .array(let array): array.contains(where: containsForbidden)
        default: false
        }
    }

    /// A path in the document, spelled out only for a warning: most documents have nothing to scrub.
    private enum Step {
        case key(String)
        case index(Int)
    }

    private static func spelled(_ path: [Step]) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The value with forbidden fields removed, or nil when it has none (the common case, which
    /// then copies nothing).
    private static func scrub(_ value: JSONValue, path: inout [Step], warnings: inout [ScrubWarning]) -> JSONValue? {
        switch value {
        case .object(let object):
            // Rebuilt in one pass: removing members one at a time from a huge hostile object
            // would cost its size squared.
            var kept: [JSONObject.Element] = []
            var changed = false
            for (key, child) in object {
                path.append(.key(key))
                if isForbidden(key) {
                    warnings.append(ScrubWarning(path: spelled(path)))
                    changed = true
                } else if let cleaned = scrub(child, path: &path, warnings: &warnings) {
                    kept.append((key, cleaned))
                    changed = true
                } else {
                    kept.append((key, child))
                }
                path.removeLast()
            }
            return changed ? .object(JSONObject(distinct: kept)) : nil
        case .array(let array):
            var kept: [JSONValue]?
            for (index, element) in array.enumerated() {
                path.append(.index(index))
                if let cleaned = scrub(element, path: &path, warnings: &warnings) {
                    if kept == nil { kept = array }
                    kept?[index] = cleaned
                }
                path.removeLast()
            }
            return kept.map { .array($0) }
        default:
            return nil
        }
    }
}

/// ASCII letters and digits: separators (`_`, `-`, spaces, dots) vanish when normalising keys.
private enum CharacterSetLetters {
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
    }
}
