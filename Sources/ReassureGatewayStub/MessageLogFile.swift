import Foundation
import ReassureGateways

/// The stub's record of what it would have sent: one JSON line per accepted message, appended
/// and flushed before the client hears 202, so tests and people can count what a victim got.
final class MessageLogFile {
    /// The same line as the in-process stubs write, so tools and tests read both alike.
    typealias Entry = SentLog.Entry

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
}
