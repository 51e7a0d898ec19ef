/// `reassure templates check`: a catalog is fit to send when every language has every stage,
/// uses only known placeholders, names sender, case, call-back number, support line and
/// emergency number, and keeps every SMS within 3 parts with realistic values filled in.
public enum TemplateLinter {
    public static let maxSMSSegments = 3
    /// Every message must say who writes, about which case, whom to call, support and emergency.
    public static let requiredPlaceholders: Set<String> = ["sender", "case_reference", "callback_number", "support_line", "emergency_number"]

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
            for stage in ContactStage.allCases {
                guard let texts = language.stages[stage] else {
                    add(.error, "stages.\(stage.rawValue)", "missing stage")
                    continue
                }
                for (field, text) in [("sms", texts.sms), ("subject", texts.subject), ("email", texts.email)] {
                    let used = TemplateRenderer.placeholders(in: text)
                    for unknown in used.subtracting(MessageContext.placeholders).sorted() {
                        add(.error, "stages.\(stage.rawValue).\(field)", "unknown placeholder {{\(unknown)}}")
                    }
                    if field != "subject" {
                        for missing in requiredPlaceholders.subtracting(used).sorted() {
                            add(.error, "stages.\(stage.rawValue).\(field)", "missing placeholder {{\(missing)}}")
                        }
                    }
                }
                do {
                    let sms = try TemplateRenderer.render(catalog, language: tag, stage: stage, channel: .sms,
                                                          context: .longestExpected)
                    report.segments[tag, default: [:]][stage] = sms.segments
                    if sms.segments > maxSMSSegments {
                        add(.error, "stages.\(stage.rawValue).sms",
                            "\(sms.segments) SMS parts (\(sms.encoding?.rawValue ?? "?")) with long values; at most \(maxSMSSegments)")
                    }
                    _ = try TemplateRenderer.render(catalog, language: tag, stage: stage, channel: .email, context: .longestExpected)
                } catch {
                    add(.error, "stages.\(stage.rawValue)", "\(error)")
                }
            }
        }
        return report
    }
}
