import Logging

/// Sends logs to standard error at the level of `REASSURE_LOG_LEVEL` (trace, debug, info,
/// notice, warning, error, critical), or `fallback` when unset: servers default to info,
/// tools to warning so their output stays readable.
func bootstrapLogging(_ environment: [String: String], fallback: Logger.Level) {
    let level = environment["REASSURE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? fallback
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
