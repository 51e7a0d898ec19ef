import Foundation
import ReassureCore
#if canImport(Glibc)
import Glibc
#endif

/// The stub provider's memory of what it accepted: one JSON line per message in a file that
/// several worker processes share. Like a real provider it deduplicates on the idempotency key,
/// across processes: each append happens under an exclusive `flock` after reading what the
/// others appended, so a re-send after a crash (in any process) is recognised.
public actor SentLog {
    public struct Entry: Codable, Sendable, Equatable {
        public var idempotencyKey: String
        public var providerMessageID: String
        public var provider: String
        public var channel: String
        public var to: String
        /// The sender id (SMS) or From (email) the victim sees.
        public var sender: String?
        public var language: String
        public var segments: Int?
        public var subject: String?
        public var body: String
        public var at: Date

        public init(idempotencyKey: String, providerMessageID: String, provider: String, channel: String, to: String, sender: String?,
                    language: String, segments: Int?, subject: String?, body: String, at: Date) {
            self.idempotencyKey = idempotencyKey
            self.providerMessageID = providerMessageID
            self.provider = provider
            self.channel = channel
            self.to = to
            self.sender = sender
            self.language = language
            self.segments = segments
            self.subject = subject
            self.body = body
            self.at = at
        }

        enum CodingKeys: String, CodingKey {
            case idempotencyKey = "idempotency_key", providerMessageID = "provider_message_id", provider, channel, to, sender, language,
                 segments, subject, body, at
        }

        /// The log line as `WireCoding.encode` writes it, by hand: one per message sent
        /// (`WireCodingTests` compares the two).
        public func jsonBytes() -> [UInt8] {
            var writer = JSONTextWriter(capacity: 256 + body.utf8.count)
            writer.object { out in
                out.member("at", at)
                out.member("body", body)
                out.member("channel", channel)
                out.member("idempotency_key", idempotencyKey)
                out.member("language", language)
                out.member("provider", provider)
                out.member("provider_message_id", providerMessageID)
                out.member("segments", segments)
                out.member("sender", sender)
                out.member("subject", subject)
                out.member("to", to)
            }
            return writer.bytes
        }
    }

    private let path: String?
    private var descriptor: Int32 = -1
    private var readOffset: Int = 0
    private var known: [String: String] = [:]
    private var pending: [UInt8] = []

    public init(path: String?) throws {
        self.path = path
        if let path {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw GatewayError("cannot open the stub sent-log at \(path): \(String(cString: strerror(errno)))") }
            descriptor = fd
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends `entry` unless its key was accepted before; returns the provider message id the
    /// key has (the old one for a duplicate) and whether it was a duplicate.
    public func record(_ entry: Entry) throws -> (providerMessageID: String, duplicate: Bool) {
        guard descriptor >= 0 else {
            if let id = known[entry.idempotencyKey] { return (id, true) }
            known[entry.idempotencyKey] = entry.providerMessageID
            return (entry.providerMessageID, false)
        }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        try catchUp()
        if let id = known[entry.idempotencyKey] { return (id, true) }
        var line = entry.jsonBytes()
        line.append(UInt8(ascii: "\n"))
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw GatewayError("writing the stub sent-log failed: \(String(cString: strerror(errno)))") }
        readOffset += line.count
        known[entry.idempotencyKey] = entry.providerMessageID
        return (entry.providerMessageID, false)
    }

    /// The provider message id for a key, if the stub accepted it (in any process).
    public func providerMessageID(for key: String) throws -> String? {
        if let id = known[key] { return id }
        guard descriptor >= 0 else { return nil }
        flock(descriptor, LOCK_SH)
        defer { flock(descriptor, LOCK_UN) }
        try catchUp()
        return known[key]
    }

    /// Reads lines other processes appended since the last look.
    private func catchUp() throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return }
        let size = Int(info.st_size)
        guard size > readOffset else { return }
        var buffer = [UInt8](repeating: 0, count: size - readOffset)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(readOffset)) }
        guard count > 0 else { return }
        readOffset += count
        pending += buffer.prefix(count)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[..<newline]
            if let entry = try? SentLog.decoder.decode(KeyOnly.self, from: Data(line)) { known[entry.idempotencyKey] = entry.providerMessageID }
            pending.removeSubrange(...newline)
        }
    }

    private struct KeyOnly: Decodable {
        var idempotencyKey: String
        var providerMessageID: String
        enum CodingKeys: String, CodingKey { case idempotencyKey = "idempotency_key", providerMessageID = "provider_message_id" }
    }

    static let encoder = WireCoding.encoder()
    static let decoder = WireCoding.decoder()

    /// Every entry in a sent-log file (for tests and the demo).
    public static func entries(at path: String) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Entry.self, from: Data($0)) }
    }
}

/// A gateway set-up problem (bad configuration, unwritable sent-log).
public struct GatewayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
