import Hummingbird

/// The request context of every route: Hummingbird's core plus who is calling, set by
/// `RoleMiddleware` once the bearer token checked out.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// Handlers collect bodies themselves with their own limits (and answer 413 in JSON).
    public var maxUploadSize: Int { 2 << 20 }
}
