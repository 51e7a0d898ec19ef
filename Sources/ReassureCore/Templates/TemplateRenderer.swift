import Foundation
import Mustache

/// A message ready to send: the words, and what it will cost as an SMS.
public struct RenderedMessage: Sendable, Equatable {
    public var language: String
    public var templateVersion: String
    public var stage: ContactStage
    public var channel: Channel
    /// SMS: the body; email: the plain-text body.
    public var body: String
    public var subject: String?
    public var html: String?
    /// SMS parts (1 for email).
    public var segments: Int
    public var encoding: SMSEncoding?
}

/// Renders catalog texts as Mustache templates (no HTML escaping in SMS and plain text; the
/// HTML email is built from the plain text, escaped): plain `{{name}}` templates by
/// `PlainTemplate`, any other by swift-mustache.
public enum TemplateRenderer {
    public static func render(_ catalog: TemplateCatalog, language: String, stage: ContactStage, channel: Channel,
                              context: MessageContext, discreet: Bool = false) throws -> RenderedMessage {
        guard let entry = catalog.languages[language] else {
            throw TemplateError(file: "\(language).yaml", problem: "no catalog for this language")
        }
        let section = discreet ? "discreet_stages" : "stages"
        guard let texts = (discreet ? entry.discreetStages : entry.stages)[stage] else {
            throw TemplateError(file: "\(language).yaml", problem: discreet
                ? "discreet_stages.\(stage.rawValue): missing, so there is no neutral wording for discreet contact in this language"
                : "stages.\(stage.rawValue): missing")
        }
        var values = context.values(rightToLeft: Bidi.isRightToLeft(language: language))
        // A discreet message never carries the case reference, whatever its template says.
        if discreet { values["case_reference"] = nil }
        switch channel {
        case .sms:
            let body = SMSEncoding.normalisedForGSM(try fill(texts.sms, values, "\(language).yaml", "\(section).\(stage.rawValue).sms"))
            let count = SMSEncoding.count(body)
            return RenderedMessage(language: language, templateVersion: entry.version, stage: stage, channel: .sms, body: body,
                                   subject: nil, html: nil, segments: count.segments, encoding: count.encoding)
        case .email:
            let subject = try fill(texts.subject, values, "\(language).yaml", "\(section).\(stage.rawValue).subject")
            let body = try fill(texts.email, values, "\(language).yaml", "\(section).\(stage.rawValue).email")
            return RenderedMessage(language: language, templateVersion: entry.version, stage: stage, channel: .email, body: body,
                                   subject: subject, html: html(body, language: language), segments: 1, encoding: nil)
        }
    }

    /// Placeholder names used in `text` (`{{name}}`, `{{{name}}}`, `{{#name}}`).
    public static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: "{}#^/&! "))
            if !inner.isEmpty, !inner.hasPrefix("%") { names.insert(inner) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    static func fill(_ text: String, _ values: [String: String], _ file: String, _ field: String) throws -> String {
        try compiledTemplates.value(for: text) {
            if let plain = PlainTemplate(text) { return .plain(plain) }
            do {
                return .mustache(try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text))
            } catch {
                throw TemplateError(file: file, problem: "\(field): not a valid template (\(error))")
            }
        }.render(values)
    }

    /// A template ready to fill: plain placeholders by concatenation, anything else by swift-mustache.
    enum Compiled: Sendable {
        case plain(PlainTemplate)
        case mustache(MustacheTemplate)

        func render(_ values: [String: String]) -> String {
            switch self {
            case .plain(let template): template.render(values)
            case .mustache(let template): template.render(values)
            }
        }
    }

    /// Templates by their text: parsing was a tenth of the workers' CPU (every planned contact
    /// is rendered once to count its SMS parts, and again when it is sent).
    private static let compiledTemplates = BoundedMemo<String, Compiled>(limit: 4_096)

    static func html(_ text: String, language: String) -> String {
        let direction = Bidi.isRightToLeft(language: language) ? "rtl" : "ltr"
        let paragraphs = text.components(separatedBy: "\n\n").map { paragraph in
            "<p>" + escape(paragraph).replacingOccurrences(of: "\n", with: "<br>") + "</p>"
        }
        return "<!doctype html><html lang=\"\(language)\" dir=\"\(direction)\"><body>\(paragraphs.joined())</body></html>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
