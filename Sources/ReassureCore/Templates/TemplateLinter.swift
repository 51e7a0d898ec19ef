import Foundation

/// `reassure templates check`: a catalog is fit to send when every language has every stage,
/// uses only known placeholders, names sender, case, call-back number, support line and
/// emergency number, and keeps every SMS within 3 parts with realistic values filled in.
public enum TemplateLinter {
    public static let maxSMSSegments = 3
    /// Every message must say who writes, about which case, whom to call, support and emergency.
    public static let requiredPlaceholders: Set<String> = ["sender", "case_reference", "callback_number", "support_line", "emergency_number"]
    /// Discreet wording says who to call and where to get help, but never which case it is about.
    public static let requiredDiscreetPlaceholders: Set<String> = ["sender", "callback_number", "support_line", "emergency_number"]

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public enum Severity: String, Sendable { case error, warning }
        public let severity: Severity
        public let language: String
        public let location: String
        public let message: String
        public var description: String { "\(severity.rawValue): \(language).yaml \(location): \(message)" }
    }

    /// Per language and stage, the SMS parts with the longest expected values.
    public struct Report: Sendable {
        public var findings: [Finding] = []
        public var segments: [String: [ContactStage: Int]] = [:]
        /// The same for the neutral wording of discreet contact.
        public var discreetSegments: [String: [ContactStage: Int]] = [:]
        public var errors: [Finding] { findings.filter { $0.severity == .error } }
    }

    public static func check(_ catalog: TemplateCatalog) -> Report {
        var report = Report()
        for tag in catalog.languages.keys.sorted() {
            let language = catalog.languages[tag]!
            func add(_ severity: Finding.Severity, _ location: String, _ message: String) {
                report.findings.append(Finding(severity: severity, language: tag, location: location, message: message))
            }
            if language.reviewedBy == nil {
                add(.warning, "reviewed_by", "awaiting review by a qualified translator")
            }
            let standard = checkStages(catalog, tag: tag, discreet: false)
            report.findings += standard.findings
            report.segments[tag] = standard.segments
            if language.discreetStages.isEmpty {
                add(.warning, "discreet_stages", "no neutral wording: victims flagged for discreet contact are written to in another of their languages, or get a task for a person")
            } else {
                let discreet = checkStages(catalog, tag: tag, discreet: true)
                report.findings += discreet.findings
                report.discreetSegments[tag] = discreet.segments
            }
        }
        return report
    }

    /// One language's standard or discreet texts: findings, and SMS parts per stage.
    private static func checkStages(_ catalog: TemplateCatalog, tag: String, discreet: Bool)
        -> (findings: [Finding], segments: [ContactStage: Int]) {
        let language = catalog.languages[tag]!
        var findings: [Finding] = []
        var segments: [ContactStage: Int] = [:]
        func add(_ severity: Finding.Severity, _ location: String, _ message: String) {
            findings.append(Finding(severity: severity, language: tag, location: location, message: message))
        }
        let section = discreet ? "discreet_stages" : "stages"
        let required = discreet ? requiredDiscreetPlaceholders : requiredPlaceholders
        for stage in ContactStage.allCases {
            let location = "\(section).\(stage.rawValue)"
            guard let texts = (discreet ? language.discreetStages : language.stages)[stage] else {
                add(.error, location, "missing stage")
                continue
            }
            for (field, text) in [("sms", texts.sms), ("subject", texts.subject), ("email", texts.email)] {
                let used = TemplateRenderer.placeholders(in: text)
                for unknown in used.subtracting(MessageContext.placeholders).sorted() {
                    add(.error, "\(location).\(field)", "unknown placeholder {{\(unknown)}}")
                }
                if field != "subject" {
                    for missing in required.subtracting(used).sorted() {
                        add(.error, "\(location).\(field)", "missing placeholder {{\(missing)}}")
                    }
                }
                if discreet {
                    if used.contains("case_reference") {
                        add(.error, "\(location).\(field)", "{{case_reference}} would tell whoever reads it that there is a police case")
                    }
                    // Placeholder names are not words the reader sees ({{case_reference}} is refused above).
                    let terms = NeutralWording.problems(in: text.replacingOccurrences(of: #"\{\{[^}]*\}\}\}?"#, with: " ", options: .regularExpression))
                    if !terms.isEmpty {
                        add(.error, "\(location).\(field)", "must be neutral for discreet contact; it says: \(terms.joined(separator: ", "))")
                    }
                }
            }
            do {
                let sms = try TemplateRenderer.render(catalog, language: tag, stage: stage, channel: .sms,
                                                      context: .longestExpected, discreet: discreet)
                segments[stage] = sms.segments
                if sms.segments > maxSMSSegments {
                    add(.error, "\(location).sms",
                        "\(sms.segments) SMS parts (\(sms.encoding?.rawValue ?? "?")) with long values; at most \(maxSMSSegments)")
                }
                _ = try TemplateRenderer.render(catalog, language: tag, stage: stage, channel: .email, context: .longestExpected,
                                                discreet: discreet)
            } catch {
                add(.error, location, "\(error)")
            }
        }
        return (findings, segments)
    }
}
