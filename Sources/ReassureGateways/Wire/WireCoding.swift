import Foundation
import ReassureCore

/// JSON coding shared by everything that puts gateway messages on the wire: ISO 8601 dates
/// with fractional seconds, so a receipt's time survives the round trip to the millisecond.
public enum WireCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// `value` as JSON bytes, through Reassure's own writer: what workers put on the wire by the
    /// thousand (receipts, due contacts, sent-log lines), where JSONEncoder and its date
    /// formatter cost more than the work itself. Sorted keys and RFC 3339 UTC dates, as
    /// `encoder()`; both decoders read either.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try JSONValueEncoder().encode(value).serialized()
    }

    /// The fast reader for the same (strict RFC 8259; dates in RFC 3339).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: Data) throws -> T {
        try JSONValueDecoder().decode(type, from: JSONValue.parse(bytes))
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)) { return date }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 time"))
        }
        return decoder
    }
}
