import Foundation
import Hummingbird
import ReassureStore

/// The read API for units and operators: a case with its plan and history, open tasks, and
/// marking a task done. Personal data is masked unless `?reveal=true`, which is audited with
/// the token's name.
struct ReadAPI: Sendable {
    let store: Store

    func caseView(_ request: Request, context: ServerRequestContext) async throws -> Response {
        // The raw path segment: a reference like `CAS 123/11/2026` arrives as `CAS%20123%2F11%2F2026`.
        let raw = try context.parameters.require("reference")
        let reference = raw.removingPercentEncoding ?? raw
        let reveal = request.uri.queryParameters.get("reveal").map { $0 == "true" || $0 == "1" } ?? false
        let unit = request.uri.queryParameters.get("unit")
        let actor = context.identity?.name ?? "unknown"
        let candidates = try await storeCall { try await store.cases(reference: reference) }.filter { unit == nil || $0.unit == unit }
        guard let chosen = candidates.first else {
            throw APIError(.notFound, "no case with this reference\(unit == nil ? "" : " in this unit")")
        }
        guard candidates.count == 1 else {
            throw APIError(.conflict, "several units use this reference (\(candidates.map(\.unit).joined(separator: ", "))): add ?unit=")
        }
        guard let view = try await storeCall({
            try await store.caseView(id: chosen.id, reveal: reveal, actor: actor, reason: "GET /v1/cases reveal=true")
        }) else {
            throw APIError(.notFound, "no case with this reference")
        }
        if reveal { context.logger.notice("personal data revealed", metadata: ["case_id": "\(chosen.id)"]) }
        return try JSONBody.response(.ok, view)
    }

    func openTasks(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let kind = request.uri.queryParameters.get("kind")
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init).map { min(max($0, 1), 1000) } ?? 500
        let tasks = try await storeCall { try await store.openTaskViews(kind: kind, limit: limit) }
        return try JSONBody.response(.ok, ["tasks": tasks])
    }

    func completeTask(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw APIError(.badRequest, "the task id must be a UUID") }
        let actor = context.identity?.name ?? "unknown"
        guard try await storeCall({ try await store.completeTask(id, by: actor) }) else {
            throw APIError(.notFound, "no open task with this id (unknown, or done already)")
        }
        return try JSONBody.response(.ok, ["id": id.uuidString, "status": "done"])
    }

    private func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.serviceUnavailable, "the store is unavailable; retry")
        }
    }
}
