/// A value in an AMQP field table (message headers, queue arguments).
public enum FieldValue: Sendable, Equatable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case timestamp(UInt64)
    case table([String: FieldValue])
    case array([FieldValue])
    case void

    /// The string inside, when this is a string (or UTF-8 bytes).
    public var stringValue: String? {
        switch self {
        case .string(let value): value
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The integer inside, when this is an integer.
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }
}

extension FieldValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value
        case .bytes(let value): "<\(value.count) bytes>"
        case .timestamp(let value): "@\(value)"
        case .table(let value): "\(value)"
        case .array(let value): "\(value)"
        case .void: "void"
        }
    }
}
