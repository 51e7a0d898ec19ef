import CRabbitMQ

/// Scratch memory for building C structures (tables, properties) for one call.
///
/// rabbitmq-c keeps pointers, not copies (`amqp_cstring_bytes`), so every string handed to it
/// is copied into this pool first and lives until `reset()` after the call.
final class ScratchPool {
    private var pool = amqp_pool_t()

    init() { init_amqp_pool(&pool, 16 * 1024) }
    deinit { empty_amqp_pool(&pool) }

    func reset() { recycle_amqp_pool(&pool) }

    func bytes(_ string: String) -> amqp_bytes_t {
        var utf8 = Array(string.utf8)
        return bytes(&utf8)
    }

    func bytes(_ data: inout [UInt8]) -> amqp_bytes_t {
        var result = amqp_bytes_t()
        amqp_pool_alloc_bytes(&pool, data.count, &result)
        if data.count > 0, let destination = result.bytes {
            data.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        return result
    }

    func table(_ fields: [String: FieldValue]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = amqp_pool_alloc(&pool, MemoryLayout<amqp_table_entry_t>.stride * fields.count)!
            .bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, (key, value)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: field(value))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    private func field(_ value: FieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .bool(let flag):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = flag ? 1 : 0
        case .int(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = number
        case .double(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            field.value.f64 = number
        case .string(let text):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(text)
        case .bytes(var data):
            field.kind = UInt8(AMQP_FIELD_KIND_BYTES.rawValue)
            field.value.bytes = bytes(&data)
        case .timestamp(let seconds):
            field.kind = UInt8(AMQP_FIELD_KIND_TIMESTAMP.rawValue)
            field.value.u64 = seconds
        case .table(let nested):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(nested)
        case .array(let values):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let entries = amqp_pool_alloc(&pool, MemoryLayout<amqp_field_value_t>.stride * max(values.count, 1))!
                .bindMemory(to: amqp_field_value_t.self, capacity: max(values.count, 1))
            for (index, element) in values.enumerated() { entries[index] = self.field(element) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: entries)
        case .void:
            field.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return field
    }

    /// Basic properties for a publish; strings live in this pool until `reset()`.
    func properties(_ properties: MessageProperties) -> amqp_basic_properties_t {
        var result = amqp_basic_properties_t()
        var flags: UInt32 = UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        result.delivery_mode = properties.persistent ? 2 : 1
        if let value = properties.contentType {
            flags |= UInt32(AMQP_BASIC_CONTENT_TYPE_FLAG)
            result.content_type = bytes(value)
        }
        if let value = properties.messageId {
            flags |= UInt32(AMQP_BASIC_MESSAGE_ID_FLAG)
            result.message_id = bytes(value)
        }
        if let value = properties.correlationId {
            flags |= UInt32(AMQP_BASIC_CORRELATION_ID_FLAG)
            result.correlation_id = bytes(value)
        }
        if let value = properties.type {
            flags |= UInt32(AMQP_BASIC_TYPE_FLAG)
            result.type = bytes(value)
        }
        if let value = properties.appId {
            flags |= UInt32(AMQP_BASIC_APP_ID_FLAG)
            result.app_id = bytes(value)
        }
        if let value = properties.timestamp {
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
            result.timestamp = value
        }
        if let value = properties.expiration {
            flags |= UInt32(AMQP_BASIC_EXPIRATION_FLAG)
            result.expiration = bytes(value)
        }
        if !properties.headers.isEmpty {
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
            result.headers = table(properties.headers)
        }
        result._flags = flags
        return result
    }
}

/// Reading C tables and properties into Swift values (copies: the C memory is reused).
enum FieldTableDecoding {
    static func table(_ table: amqp_table_t) -> [String: FieldValue] {
        var result: [String: FieldValue] = [:]
        guard table.num_entries > 0, let entries = table.entries else { return result }
        for index in 0..<Int(table.num_entries) {
            result[entries[index].key.string] = field(entries[index].value)
        }
        return result
    }

    static func field(_ field: amqp_field_value_t) -> FieldValue {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: return .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: return .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: return .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: return .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: return .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: return .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: return .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: return .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: return .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_F32.rawValue: return .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: return .double(field.value.f64)
        case AMQP_FIELD_KIND_UTF8.rawValue: return .string(field.value.bytes.string)
        case AMQP_FIELD_KIND_BYTES.rawValue: return .bytes(field.value.bytes.array)
        case AMQP_FIELD_KIND_TIMESTAMP.rawValue: return .timestamp(field.value.u64)
        case AMQP_FIELD_KIND_TABLE.rawValue: return .table(table(field.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            let array = field.value.array
            guard array.num_entries > 0, let entries = array.entries else { return .array([]) }
            return .array((0..<Int(array.num_entries)).map { Self.field(entries[$0]) })
        default: return .void
        }
    }

    static func properties(_ pointer: UnsafeMutableRawPointer?) -> MessageProperties {
        guard let pointer else { return MessageProperties(contentType: nil, persistent: false) }
        let raw = pointer.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
        let flags = raw._flags
        func has(_ flag: UInt32) -> Bool { flags & flag != 0 }
        return MessageProperties(
            contentType: has(UInt32(AMQP_BASIC_CONTENT_TYPE_FLAG)) ? raw.content_type.string : nil,
            persistent: has(UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)) && raw.delivery_mode == 2,
            messageId: has(UInt32(AMQP_BASIC_MESSAGE_ID_FLAG)) ? raw.message_id.string : nil,
            correlationId: has(UInt32(AMQP_BASIC_CORRELATION_ID_FLAG)) ? raw.correlation_id.string : nil,
            type: has(UInt32(AMQP_BASIC_TYPE_FLAG)) ? raw.type.string : nil,
            appId: has(UInt32(AMQP_BASIC_APP_ID_FLAG)) ? raw.app_id.string : nil,
            timestamp: has(UInt32(AMQP_BASIC_TIMESTAMP_FLAG)) ? raw.timestamp : nil,
            expiration: has(UInt32(AMQP_BASIC_EXPIRATION_FLAG)) ? raw.expiration.string : nil,
            headers: has(UInt32(AMQP_BASIC_HEADERS_FLAG)) ? table(raw.headers) : [:])
    }
}
