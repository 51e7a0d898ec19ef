import HTTPTypes
import Hummingbird
import ReassureStore

/// Guards a group of `/v1` routes: a valid bearer token (401 otherwise), one of `roles` (403
/// otherwise), within the token's rate limit (429 with `Retry-After` otherwise). Sets
/// `context.identity` for the handler (the token's name goes into the audit log).
struct RoleMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let roles: Set<Role>
    let store: Store
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
              case let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw APIError(.unauthorized, "missing bearer token: send Authorization: Bearer <token> (see `reassure token create`)",
                           headers: [.wwwAuthenticate: "Bearer"])
        }
        let found: (name: String, role: String)?
        do {
            found = try await store.tokenIdentity(token)
        } catch {
            context.logger.error("cannot check a token: the store is unavailable", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "cannot check the token right now: the store is unavailable; retry")
        }
        guard let found, let role = Role(rawValue: found.role) else {
            throw APIError(.unauthorized, "the token is not valid or was revoked", headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        if let wait = limiter.admit(found.name) {
            throw APIError(.tooManyRequests, "rate limit reached for this token; retry after \(wait) s",
                           headers: [.retryAfter: String(wait)])
        }
        guard role == .admin || roles.contains(role) else {
            let needed = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw APIError(.forbidden, "this route needs the role \(needed) (or admin); the token has the role \(role.rawValue)")
        }
        var context = context
        context.identity = Identity(name: found.name, role: role)
        context.logger[metadataKey: "token"] = "\(found.name)"
        return try await next(request, context)
    }
}

/// Counts every answer by route (the matched route pattern, never the raw path, which may hold
/// a case reference) and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: route(context), status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            metrics.request(route: route(context), status: error.status.code)
            throw error
        } catch {
            metrics.request(route: route(context), status: 500)
            throw error
        }
    }

    private func route(_ context: Context) -> String {
        context.endpointPath ?? "unmatched"
    }
}
