import Foundation
import HTTPTypes
import Hummingbird
import ReassureCore

/// Every error answer: JSON `{"error": "...", "problems": [{path, problem}]?}`. Messages say
/// what went wrong and what to do; they never hold personal data or tokens.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var problems: [ValidationProblem]?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, problems: [ValidationProblem]? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.problems = problems
        self.headers = headers
    }

    struct Body: Encodable {
        var error: String
        var problems: [ValidationProblem]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(status, Body(error: message, problems: problems))
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// JSON answers with snake_case keys and RFC 3339 times.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        response(status, bytes: try encoder.encode(value))
    }

    static func response(_ status: HTTPResponse.Status, bytes: some Sequence<UInt8>) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
