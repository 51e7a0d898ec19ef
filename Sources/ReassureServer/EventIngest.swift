import Foundation
import Hummingbird
import Logging
import ReassureCore
import ReassureStore

/// `POST /v1/events`: one event or `{"events": [...]}`. Forbidden fields are scrubbed first
/// (by `CaseEventIntake`), every event is validated, and only a wholly valid body is stored: the
/// accepted events go into the outbox in the same transaction as their dedup record, before
/// the 202. A body with any invalid event is refused whole (422) so an integrator never has to
/// work out which half of a batch went in.
struct EventIngest: Sendable {
    struct Accepted: Encodable {
        var accepted: [String]
        var duplicates: [String]
        var warnings: [ScrubWarning]

        /// The 202's body, written by hand exactly as `JSONBody.encoder` writes it (keys sorted):
        /// the encoder was about 2.5% of the service's CPU in `bench ingest`.
        var jsonBytes: [UInt8] {
            var out = JSONTextWriter(capacity: 48 + 40 * (accepted.count + duplicates.count))
            out.object { body in
                body.member("accepted", strings: accepted)
                body.member("duplicates", strings: duplicates)
                body.member("warnings", objects: warnings) { item, warning in
                    item.member("path", warning.path)
                    item.member("warning", warning.warning)
                }
            }
            return out.bytes
        }
    }

    let store: Store
    let relay: OutboxRelay
    let metrics: ServerMetrics?
    let maxBodyBytes: Int
    let maxBatchEvents: Int

    func handle(_ request: Request, context: ServerRequestContext) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw tooLarge("the body is \(length) bytes")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge("the body is larger")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(Data(buffer: body, byteTransferStrategy: .noCopy))
        } catch {
            throw APIError(.badRequest, "the body is not valid JSON: send one event object or {\"events\": [...]}")
        }
        let results = try intake(document)
        let warnings = results.flatMap { result in result.warnings.map { ScrubWarning(path: path($0.path, in: result, batch: results.isBatch)) } }
        let problems = results.list.flatMap { result -> [ValidationProblem] in
            guard case .failure(let rejection) = result.outcome else { return [] }
            return rejection.problems.map { ValidationProblem(path: path($0.path, in: result, batch: results.isBatch), problem: $0.problem) }
        }
        guard problems.isEmpty else {
            let invalid = results.list.filter { if case .failure = $0.outcome { true } else { false } }.count
            metrics?.events(accepted: 0, duplicates: 0, rejected: invalid)
            context.logger.info("refused events", metadata: ["events": "\(results.list.count)", "invalid": "\(invalid)"])
            throw APIError(.unprocessableContent, "\(invalid) of \(results.list.count) events are invalid; nothing was accepted", problems: problems)
        }
        var rows: [(eventID: String, routingKey: String, payload: [UInt8])] = []
        rows.reserveCapacity(results.list.count)
        for result in results.list {
            guard case .success(let event) = result.outcome else { continue }
            rows.append((event.id, event.type.rawValue, EventEncoding.body(event)))
        }
        let fresh: [Bool]
        do {
            fresh = try await store.acceptEvents(rows)
        } catch {
            context.logger.error("cannot store events; answering 503", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "the events could not be made durable; nothing was accepted; retry later")
        }
        relay.wake()
        let answer = Accepted(accepted: rows.indices.filter { fresh[$0] }.map { rows[$0].eventID },
                              duplicates: rows.indices.filter { !fresh[$0] }.map { rows[$0].eventID }, warnings: warnings)
        metrics?.events(accepted: answer.accepted.count, duplicates: answer.duplicates.count, rejected: 0)
        context.logger.info("accepted events", metadata: [
            "accepted": "\(answer.accepted.count)", "duplicates": "\(answer.duplicates.count)", "scrubbed_fields": "\(warnings.count)",
        ])
        return JSONBody.response(.accepted, bytes: answer.jsonBytes)
    }

    private struct Results {
        var list: [CaseEventIntake.Result]
        var isBatch: Bool
        func flatMap<T>(_ transform: (CaseEventIntake.Result) -> [T]) -> [T] { list.flatMap(transform) }
    }

    /// The same reading as `CaseEventIntake.process(body:)`, from the already parsed document,
    /// so the batch size is checked before any event is validated.
    private func intake(_ document: JSONValue) throws -> Results {
        guard let object = document.object, object.keys.contains("events") else {
            return Results(list: [CaseEventIntake.process(document: document, index: 0)], isBatch: false)
        }
        guard let events = object["events"]?.array else {
            throw APIError(.unprocessableContent, "the batch is malformed; nothing was accepted",
                           problems: [ValidationProblem(path: "events", problem: "must be an array of events")])
        }
        guard !events.isEmpty else {
            throw APIError(.unprocessableContent, "the batch is empty; nothing was accepted",
                           problems: [ValidationProblem(path: "events", problem: "must hold at least one event")])
        }
        guard events.count <= maxBatchEvents else {
            throw APIError(.contentTooLarge, "a batch holds at most \(maxBatchEvents) events; this one has \(events.count): split it")
        }
        return Results(list: events.enumerated().map { CaseEventIntake.process(document: $1, index: $0) }, isBatch: true)
    }

    /// A path within the body: `victim.timezone` for a single event, `events[3].victim.timezone`
    /// in a batch (`$`, the event itself, becomes `events[3]`).
    private func path(_ path: String, in result: CaseEventIntake.Result, batch: Bool) -> String {
        guard batch else { return path }
        return path == "$" ? "events[\(result.index)]" : "events[\(result.index)].\(path)"
    }

    private func tooLarge(_ detail: String) -> APIError {
        APIError(.contentTooLarge, "the body is larger than \(maxBodyBytes) bytes (\(detail)): send at most \(maxBatchEvents) events per request")
    }
}
