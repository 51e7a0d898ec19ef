import Foundation
import Yams

/// Message texts per language, stage and channel, each language with a version and the name
/// of the qualified translator who reviewed it (`reviewed_by: null` = awaiting review).
///
/// The shipped catalog lives in the module's resources; a unit replaces or extends it without
/// rebuilding by pointing `REASSURE_TEMPLATES_DIR` at a directory of `<language>.yaml` files.
public struct TemplateCatalog: Sendable {
    public struct Texts: Sendable, Equatable {
        public var sms: String
        public var subject: String
        public var email: String
    }

    public struct Language: Sendable, Equatable {
        public var tag: String
        public var version: String
        public var reviewedBy: String?
        public var stages: [ContactStage: Texts]
        /// Neutral wording for victims flagged for discreet contact (`discreet_stages:`): no
        /// police, no crime, no case reference. A language without it cannot be used for them.
        public var discreetStages: [ContactStage: Texts] = [:]
    }

    public private(set) var languages: [String: Language]

    public init(languages: [Language]) {
        self.languages = Dictionary(languages.map { ($0.tag, $0) }, uniquingKeysWith: { _, last in last })
    }

    public var availableLanguages: Set<String> { Set(languages.keys) }

    /// Languages with neutral wording for every stage, the only ones usable for discreet contact.
    public var discreetLanguages: Set<String> {
        Set(languages.values.filter { language in ContactStage.allCases.allSatisfy { language.discreetStages[$0] != nil } }.map(\.tag))
    }

    /// The catalog shipped with Reassure.
    public static func shipped() throws -> TemplateCatalog {
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw TemplateError(file: "templates", problem: "the shipped template catalog is missing from the build")
        }
        return try load(directory: directory)
    }

    /// The shipped catalog, replaced language by language by `REASSURE_TEMPLATES_DIR` when set.
    public static func configured(environment: [String: String]) throws -> TemplateCatalog {
        var catalog = try shipped()
        if let path = environment["REASSURE_TEMPLATES_DIR"], !path.isEmpty {
            let own = try load(directory: URL(fileURLWithPath: path))
            for (tag, language) in own.languages { catalog.languages[tag] = language }
        }
        return catalog
    }

    /// Reads every `*.yaml` file in `directory`. Throws a `TemplateError` naming file and field.
    public static func load(directory: URL) throws -> TemplateCatalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw TemplateError(file: directory.path, problem: "cannot read the template directory")
        }
        guard !files.isEmpty else { throw TemplateError(file: directory.path, problem: "holds no .yaml template files") }
        return TemplateCatalog(languages: try files.map(parse))
    }

    static func parse(_ file: URL) throws -> Language {
        let name = file.lastPathComponent
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw TemplateError(file: name, problem: "cannot be read as UTF-8")
        }
        return try parse(yaml: text, file: name)
    }

    public static func parse(yaml text: String, file name: String) throws -> Language {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw TemplateError(file: name, problem: "is not valid YAML (\(error))")
        }
        guard let root = document as? [String: Any] else { throw TemplateError(file: name, problem: "must be a mapping") }
        guard let tag = root["language"] as? String, LanguageTag.wellFormed(tag) else {
            throw TemplateError(file: name, problem: "language: must be a BCP 47 tag")
        }
        guard let version = root["version"].map({ "\($0)" }), !version.isEmpty else {
            throw TemplateError(file: name, problem: "version: is required")
        }
        guard root.keys.contains("reviewed_by") else {
            throw TemplateError(file: name, problem: "reviewed_by: is required (null while awaiting review by a qualified translator)")
        }
        let reviewedBy = root["reviewed_by"] as? String
        guard let stageMap = root["stages"] as? [String: Any] else { throw TemplateError(file: name, problem: "stages: must be a mapping") }
        // An email without its own text is the SMS text followed by the language's email footer.
        let footer = (root["email_footer"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines)
        let stages = try parseStages(stageMap, section: "stages", footer: footer, file: name)
        var discreetStages: [ContactStage: Texts] = [:]
        if let discreet = root["discreet_stages"] {
            guard let discreetMap = discreet as? [String: Any] else {
                throw TemplateError(file: name, problem: "discreet_stages: must be a mapping")
            }
            discreetStages = try parseStages(discreetMap, section: "discreet_stages", footer: footer, file: name)
        }
        var language = Language(tag: LanguageTag.canonical(tag), version: version, reviewedBy: reviewedBy, stages: stages)
        language.discreetStages = discreetStages
        return language
    }

    static func parseStages(_ stageMap: [String: Any], section: String, footer: String?, file name: String) throws -> [ContactStage: Texts] {
        var stages: [ContactStage: Texts] = [:]
        for (stageName, value) in stageMap {
            guard let stage = ContactStage(rawValue: stageName) else {
                throw TemplateError(file: name, problem: "\(section).\(stageName): unknown stage; expected one of \(ContactStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let texts = value as? [String: Any] else { throw TemplateError(file: name, problem: "\(section).\(stageName): must be a mapping") }
            func text(_ key: String) throws -> String {
                guard let value = texts[key] as? String, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw TemplateError(file: name, problem: "\(section).\(stageName).\(key): is required")
                }
                return value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let sms = try text("sms")
            let email = texts["email"] == nil ? [sms, footer].compactMap { $0 }.joined(separator: "\n\n") : try text("email")
            stages[stage] = Texts(sms: sms, subject: try text("subject"), email: email)
        }
        return stages
    }
}

/// A catalog file that cannot be used: which file and what is wrong.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}
