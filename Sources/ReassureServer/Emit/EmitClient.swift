import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ReassureCore

/// `reassure emit`: sends an integrator's file to `POST /v1/events` in batches, in file order,
/// remembering the last acknowledged line in a state file next to the input so an interrupted
/// run resumes where it stopped. Lines the service (or the same validation, run locally first)
/// refuses are reported with their reasons; the rest still go.
public struct EmitClient: Sendable {
    public struct Options: Sendable {
        public var baseURL: String
        public var token: String
        public var batchSize: Int
        /// Where progress is remembered; nil keeps none.
        public var stateFile: URL?
        /// Give up on a batch after this many failed tries (server or network errors).
        public var maxTries: Int

        public init(baseURL: String, token: String, batchSize: Int = 100, stateFile: URL?, maxTries: Int = 8) {
            self.baseURL = baseURL
            self.token = token
            self.batchSize = batchSize
            self.stateFile = stateFile
            self.maxTries = maxTries
        }
    }

    public struct Summary: Sendable {
        public var accepted = 0
        public var duplicates = 0
        public var rejected: [EmitRejection] = []
        /// Lines skipped because a previous run had them acknowledged.
        public var resumedAfterLine = 0
    }

    /// The remembered progress: the input's size and the last line the service acknowledged.
    struct State: Codable {
        var inputBytes: Int
        var lastLine: Int
    }

    let options: Options
    let client: HTTPClient

    public init(options: Options, client: HTTPClient = .shared) {
        self.options = options
        self.client = client
    }

    public func run(_ records: [EmitSource.Record], inputBytes: Int, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        var summary = Summary()
        if let state = loadState(), state.inputBytes == inputBytes {
            summary.resumedAfterLine = state.lastLine
        }
        let todo = records.filter { $0.line > summary.resumedAfterLine }
        var pending: [(line: Int, document: JSONValue)] = []
        for record in todo {
            switch record.document {
            case .failure(let rejection): summary.rejected.append(rejection)
            case .success(let document):
                // The service's own rules, run here first, so one bad line does not hold up its batch.
                let result = CaseEventIntake.process(document: document)
                if case .failure(let rejection) = result.outcome {
                    summary.rejected.append(EmitRejection(line: record.line, reasons: rejection.problems.map(\.description)))
                } else {
                    pending.append((record.line, document))
                }
            }
        }
        var done = 0
        progress(done, todo.count)
        var index = 0
        while index < pending.count {
            var batch = Array(pending[index..<min(index + options.batchSize, pending.count)])
            while !batch.isEmpty {
                let outcome = try await send(batch)
                switch outcome {
                case .accepted(let accepted, let duplicates):
                    summary.accepted += accepted
                    summary.duplicates += duplicates
                    batch = []
                case .refused(let byIndex):
                    // Report the refused lines, send the others again.
                    for (position, reasons) in byIndex.sorted(by: { $0.key < $1.key }) where position < batch.count {
                        summary.rejected.append(EmitRejection(line: batch[position].line, reasons: reasons))
                    }
                    batch = batch.indices.filter { byIndex[$0] == nil }.map { batch[$0] }
                }
            }
            let lastLine = pending[min(index + options.batchSize, pending.count) - 1].line
            saveState(State(inputBytes: inputBytes, lastLine: lastLine))
            index += options.batchSize
            done = todo.filter { $0.line <= lastLine }.count
            progress(done, todo.count)
        }
        progress(todo.count, todo.count)
        if let stateFile = options.stateFile { try? FileManager.default.removeItem(at: stateFile) }
        summary.rejected.sort { $0.line < $1.line }
        return summary
    }

    enum Outcome {
        case accepted(Int, Int)
        /// Problems by position in the batch.
        case refused([Int: [String]])
    }

    private func send(_ batch: [(line: Int, document: JSONValue)]) async throws -> Outcome {
        let body = try JSONEncoder().encode(["events": batch.map(\.document)])
        var tries = 0
        while true {
            tries += 1
            var request = HTTPClientRequest(url: options.baseURL + "/v1/events")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(options.token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
            let status: Int
            let answer: [String: Any]
            let retryAfter: Int?
            do {
                let response = try await client.execute(request, timeout: .seconds(60))
                let bytes = try await response.body.collect(upTo: 16 << 20)
                status = Int(response.status.code)
                answer = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
                retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init)
            } catch {
                guard tries < options.maxTries else { throw EmitError("cannot reach \(options.baseURL): \(error); run again to resume") }
                try await Task.sleep(for: .milliseconds(min(10_000, 200 << tries)))
                continue
            }
            let message = answer["error"] as? String ?? "HTTP \(status)"
            switch status {
            case 202:
                return .accepted((answer["accepted"] as? [Any])?.count ?? 0, (answer["duplicates"] as? [Any])?.count ?? 0)
            case 422:
                var byIndex: [Int: [String]] = [:]
                for problem in answer["problems"] as? [[String: String]] ?? [] {
                    let path = problem["path"] ?? ""
                    guard path.hasPrefix("events["), let close = path.firstIndex(of: "]"),
                          let position = Int(path[path.index(path.startIndex, offsetBy: 7)..<close]) else { continue }
                    let rest = path[path.index(after: close)...].drop { $0 == "." }
                    byIndex[position, default: []].append("\(rest.isEmpty ? "$" : rest): \(problem["problem"] ?? "")")
                }
                guard !byIndex.isEmpty else { throw EmitError("the service refused a batch: \(message)") }
                return .refused(byIndex)
            case 429:
                try await Task.sleep(for: .seconds(retryAfter ?? 1))
                tries -= 1
            case 401, 403, 400, 413:
                throw EmitError("the service refused the request (\(status)): \(message)")
            default:
                guard tries < options.maxTries else { throw EmitError("the service keeps failing (\(status)): \(message); run again to resume") }
                try await Task.sleep(for: .milliseconds(min(10_000, 200 << tries)))
            }
        }
    }

    private func loadState() -> State? {
        guard let stateFile = options.stateFile, let data = try? Data(contentsOf: stateFile) else { return nil }
        return try? JSONDecoder().decode(State.self, from: data)
    }

    private func saveState(_ state: State) {
        guard let stateFile = options.stateFile, let data = try? JSONEncoder().encode(state) else { return }
        try? data.write(to: stateFile, options: .atomic)
    }
}
