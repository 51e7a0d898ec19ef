import AMQP

/// Messages that carry several items (the clock's due contacts, the in-process stubs'
/// receipts) say how many in a header, so a consumer sizes its batches without opening them.
enum BatchedMessage {
    static let countHeader = "x-reassure-count"

    /// Items `delivery` carries: its header, or 1 (a message with one item has no header).
    static func count(_ delivery: Delivery) -> Int {
        max(1, Int(delivery.properties.headers[countHeader]?.intValue ?? 1))
    }

    static func headers(count: Int) -> [String: FieldValue] {
        [countHeader: .int(Int64(count))]
    }
}
