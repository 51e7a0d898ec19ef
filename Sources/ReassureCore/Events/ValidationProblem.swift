/// One thing wrong with an event: where (`victim.languages[1]`) and what, never the value
/// itself (it may be personal data).
public struct ValidationProblem: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// A forbidden field removed from an event before anything else saw it.
public struct ScrubWarning: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public let path: String
    public let warning: String

    public init(path: String) {
        self.path = path
        warning = "forbidden field removed: this kind of data is never stored (data minimisation)"
    }

    public var description: String { "\(path): \(warning)" }
}
