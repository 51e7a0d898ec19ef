import ArgumentParser
import Foundation
import ReassureCore

/// `reassure plan --event FILE`: the contacts a victim would get, for an officer to read.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the contact plan a victim would get for a case.reported event.",
        discussion: "Uses REASSURE_CONFIG (policy) and REASSURE_TEMPLATES_DIR (catalog). Times are counted from the event's occurred_at; --now moves the earliest send time.")

    @Option(help: "A file holding one case.reported event (JSON).") var event: String
    @Flag(help: "Print {\"contacts\": [...], \"tasks\": [...]}.") var json = false
    @Option(help: "Plan as if it were this RFC 3339 time (default: the event's occurred_at).") var now: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let (_, result) = try EventFile.read(event).first else { throw ValidationError("\(event) holds no event") }
        let caseEvent: CaseEvent
        switch result.outcome {
        case .failure(let rejection):
            for problem in rejection.problems { printError("problem  \(problem.path): \(problem.problem)") }
            throw ExitCode(1)
        case .success(let value):
            caseEvent = value
        }
        guard caseEvent.type == .caseReported else { throw ValidationError("plan needs a case.reported event, not \(caseEvent.type.rawValue)") }
        let start = try now.map {
            guard let date = FieldFormats.rfc3339($0) else { throw ValidationError("--now must be an RFC 3339 time") }
            return date
        } ?? caseEvent.occurredAt
        let planner = ContactPlanner(policy: try ContactPolicyLoader.load(environment: environment),
                                     catalog: try TemplateCatalog.configured(environment: environment))
        let plan = planner.plan(for: caseEvent, now: start)
        let zone = caseEvent.victim?.timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let contacts = plan.contacts.map { contact -> [String: Any] in
            ["stage": contact.stage.rawValue, "when": contact.label, "due_utc": Self.utc(contact.dueAt),
             "due_local": Self.local(contact.dueAt, zone), "language": contact.language, "channel": contact.channel.rawValue,
             "segments": contact.segments, "template_version": contact.templateVersion]
        }
        let tasks = plan.tasks.map { task -> [String: Any] in
            ["kind": task.kind.rawValue, "reason": task.reason, "language": task.language ?? NSNull()]
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["contacts": contacts, "tasks": tasks],
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("Case \(caseEvent.caseInfo.reference), unit \(caseEvent.caseInfo.unit), priority \(caseEvent.caseInfo.priority?.rawValue ?? "standard"); victim \(caseEvent.victim?.ref ?? "?") in \(zone.identifier)")
        if contacts.isEmpty {
            print("No automated messages.")
        } else {
            print("STAGE            WHEN               DUE (UTC)             DUE (VICTIM'S TIME)         LANG    CHANNEL  SMS PARTS")
            for contact in plan.contacts {
                print(contact.stage.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
                      + contact.label.padding(toLength: 19, withPad: " ", startingAt: 0)
                      + Self.utc(contact.dueAt).padding(toLength: 22, withPad: " ", startingAt: 0)
                      + Self.local(contact.dueAt, zone).padding(toLength: 28, withPad: " ", startingAt: 0)
                      + contact.language.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + contact.channel.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + (contact.channel == .sms ? String(contact.segments) : "-"))
            }
        }
        if !plan.tasks.isEmpty {
            print("Tasks for a person:")
            for task in plan.tasks { print("- \(task.kind.rawValue)\(task.language.map { " [\($0)]" } ?? ""): \(task.reason)") }
        }
    }

    static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm EEE xxx"
        return formatter.string(from: date)
    }
}
