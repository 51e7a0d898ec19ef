import Foundation
import ReassureGateways

/// The stub's record of what it would have sent: one JSON line per accepted message, appended
/// and flushed before the client hears 202, so tests and people can count what a victim got.
final class MessageLogFile {
    struct Entry: Codable, Equatable {
        var idempotencyKey: String
        var provider: String
        var providerMessageID: String
        var channel: String
        var to: String
        /// The sender id (SMS) or From (email) the victim sees.
        var sender: String?
        var language: String
        var segments: Int?
        var subject: String?
        var body: String
        var at: Date

        enum CodingKeys: String, CodingKey {
            case idempotencyKey = "idempotency_key", provider, providerMessageID = "provider_message_id", channel, to,
                 sender, language, segments, subject, body, at
        }
    }

    private let handle: FileHandle
    let path: String

    /// Opens (creating if needed) `path` for appending; throws if the file cannot be written.
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.path = path
    }

    deinit { try? handle.close() }

    func append(_ entry: Entry) throws {
        var line = try WireCoding.encoder().encode(entry)
        line.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: line)
    }

    /// Every entry in a sent-log file (for tests and tools).
    static func entries(at path: String) throws -> [Entry] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { try WireCoding.decoder().decode(Entry.self, from: Data($0.utf8)) }
    }
}
