import ArgumentParser
import Foundation
import ReassureCore

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Work with message template catalogs.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Lint a catalog: missing stages or placeholders, unknown placeholders, SMS parts per language (over 3 is an error), neutral discreet wording.",
            discussion: "Without DIR: the shipped catalog with REASSURE_TEMPLATES_DIR applied. Exit status 1 on any error.")

        @Argument(help: "A directory of <language>.yaml files.") var directory: String?

        func run() throws {
            let catalog: TemplateCatalog
            do {
                catalog = try directory.map { try TemplateCatalog.load(directory: URL(fileURLWithPath: $0)) }
                    ?? TemplateCatalog.configured(environment: ProcessInfo.processInfo.environment)
            } catch {
                printError("reassure templates check: \(error)")
                throw ExitCode(1)
            }
            let report = TemplateLinter.check(catalog)
            let stages = ContactStage.allCases
            print("SMS parts with long values (max \(TemplateLinter.maxSMSSegments)):")
            print("LANG  VERSION         REVIEWED  " + stages.map { $0.rawValue.prefix(10).padding(toLength: 10, withPad: " ", startingAt: 0) }.joined(separator: " ")
                  + " DISCREET")
            for tag in catalog.languages.keys.sorted() {
                let language = catalog.languages[tag]!
                let counts = stages.map { stage in
                    (report.segments[tag]?[stage].map(String.init) ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0)
                }
                let name = tag.padding(toLength: 6, withPad: " ", startingAt: 0)
                let version = language.version.padding(toLength: 16, withPad: " ", startingAt: 0)
                let reviewed = (language.reviewedBy == nil ? "no " : "yes").padding(toLength: 10, withPad: " ", startingAt: 0)
                let discreet = report.discreetSegments[tag]?.values.max().map { "max \($0)" } ?? "none"
                print(name + version + reviewed + counts.joined(separator: " ") + " " + discreet)
            }
            let awaiting = report.findings.filter { $0.severity == .warning && $0.location == "reviewed_by" }.count
            if awaiting > 0 { print("\(awaiting) language(s) awaiting review by a qualified translator (reviewed_by: null)") }
            let withoutDiscreet = report.findings.filter { $0.severity == .warning && $0.location == "discreet_stages" }.map(\.language)
            if !withoutDiscreet.isEmpty {
                print("\(withoutDiscreet.count) language(s) without neutral wording for discreet contact (discreet_stages): "
                      + withoutDiscreet.joined(separator: ", "))
            }
            for finding in report.errors { print(finding) }
            if !report.errors.isEmpty {
                print("\(report.errors.count) error(s)")
                throw ExitCode(1)
            }
            print("catalog ok: \(catalog.languages.count) languages, \(stages.count) stages, sms and email")
        }
    }
}
