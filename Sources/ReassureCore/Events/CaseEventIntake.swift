import Foundation

/// The door every event comes through: parse, scrub forbidden fields, validate, decode.
/// Used by the HTTP API, `reassure validate` and the scheduler alike, so all three agree.
public enum CaseEventIntake {
    /// One event's fate.
    public struct Result: Sendable {
        /// Position in the batch (0 for a single event).
        public let index: Int
        /// The event id when the document had a usable one (for answers and logs).
        public let id: String?
        public let warnings: [ScrubWarning]
        /// The decoded event, or the problems that kept it out.
        public let outcome: Swift.Result<CaseEvent, Rejection>
    }

    public struct Rejection: Error, Sendable, Equatable {
        public let problems: [ValidationProblem]
    }

    /// Reads a body holding one event or `{"events": [...]}`.
    /// Throws `JSONValue.ParseError` when the body is not JSON at all.
    public static func process(body: Data) throws -> [Result] {
        let document = try JSONValue.parse(body)
        if let object = document.object, object.keys.contains("events") {
            guard let events = object["events"]?.array else {
                return [Result(index: 0, id: nil, warnings: [],
                               outcome: .failure(Rejection(problems: [ValidationProblem(path: "events", problem: "must be an array of events")])))]
            }
            return events.enumerated().map { process(document: $1, index: $0) }
        }
        return [process(document: document, index: 0)]
    }

    /// Reads a file as integrators keep them: one JSON document (an event or a batch), or JSON
    /// Lines. Each result comes with its line number (JSON Lines) or position (1-based).
    public static func process(file data: Data) -> [(line: Int, result: Result)] {
        if let whole = try? process(body: data) {
            return whole.map { ($0.index + 1, $0) }
        }
        return JSONLines.lines(data).map { line in
            let index = line.number - 1
            guard let document = try? JSONValue.parse(line.bytes) else {
                let rejection = Rejection(problems: [ValidationProblem(path: "$", problem: line.unreadableReason)])
                return (line.number, Result(index: index, id: nil, warnings: [], outcome: .failure(rejection)))
            }
            return (line.number, process(document: document, index: index))
        }
    }

    /// Scrubs, validates and decodes one event document.
    public static func process(document: JSONValue, index: Int = 0) -> Result {
        let (cleaned, warnings) = ForbiddenFieldScrubber.scrub(document)
        let id = cleaned["id"]?.string.flatMap { $0.count <= CaseEventValidator.maxIDLength ? $0 : nil }
        let problems = CaseEventValidator.problems(in: cleaned)
        guard problems.isEmpty else {
            return Result(index: index, id: id, warnings: warnings, outcome: .failure(Rejection(problems: problems)))
        }
        do {
            let event = try CaseEvent(document: cleaned)
            return Result(index: index, id: id, warnings: warnings, outcome: .success(normalised(event)))
        } catch {
            let problem = ValidationProblem(path: "$", problem: "does not match the event contract (\(describe(error)))")
            return Result(index: index, id: id, warnings: warnings, outcome: .failure(Rejection(problems: [problem])))
        }
    }

    /// Decodes RFC 3339 times, with or without fractional seconds.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = FieldFormats.rfc3339(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time"))
            }
            return date
        }
        return decoder
    }()

    /// Language tags in canonical casing, so `PT-mz` and `pt-MZ` are one language.
    private static func normalised(_ event: CaseEvent) -> CaseEvent {
        var event = event
        if let languages = event.victim?.languages {
            event.victim?.languages = languages.map(LanguageTag.canonical)
        }
        return event
    }

    private static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "unreadable" }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            return "at " + context.codingPath.map(\.stringValue).joined(separator: ".")
        @unknown default:
            return "unreadable"
        }
    }
}
