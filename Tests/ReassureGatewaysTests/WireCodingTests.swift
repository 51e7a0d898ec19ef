import Foundation
import ReassureCore
import Testing

@testable import ReassureGateways

/// Receipts and sent-log lines are written by hand; the bytes must be the ones Codable writes
/// through `WireCoding.encode`, which every reader of them was built against.
@Suite struct WireCodingTests {
    static let awkward = "Salaam \"Amina\" \\ / \u{1}\n ñ 🌍"

    @Test func receiptsAreWrittenByteForByteAsWireCodingWritesThem() throws {
        let at = Date(timeIntervalSince1970: 1_795_000_000.043)
        let full = GatewayReceipt(idempotencyKey: "C0FFEE:1", provider: "stub-sms", providerMessageID: "pm-1", status: .failed,
                                  error: Self.awkward, at: at)
        #expect(Self.unsetMembers(of: full).isEmpty)
        let receipts = [
            full,
            GatewayReceipt(idempotencyKey: "C0FFEE:2", provider: "stub-email", providerMessageID: nil, status: .sent, at: Date(timeIntervalSince1970: 0)),
            GatewayReceipt(idempotencyKey: "C0FFEE:3", provider: "p", providerMessageID: "x", status: .delivered, at: at.addingTimeInterval(0.5)),
        ]
        for batch in [receipts, [receipts[1]], []] {
            #expect(GatewayReceipt.jsonBytes(batch) == (try WireCoding.encode(batch)))
        }
    }

    @Test func sentLogLinesAreWrittenByteForByteAsWireCodingWritesThem() throws {
        let full = SentLog.Entry(idempotencyKey: "C0FFEE:1", providerMessageID: "pm-1", provider: "stub-sms", channel: "sms", to: "+27821234567",
                                 sender: "VSU", language: "so", segments: 3, subject: Self.awkward, body: Self.awkward,
                                 at: Date(timeIntervalSince1970: 1_795_000_000.25))
        #expect(Self.unsetMembers(of: full).isEmpty)
        var bare = full
        bare.sender = nil
        bare.segments = nil
        bare.subject = nil
        bare.at = Date(timeIntervalSince1970: 1_795_000_000)
        for entry in [full, bare] {
            #expect(entry.jsonBytes() == (try WireCoding.encode(entry)))
        }
    }

    /// Names of optional members left nil: a member added to the type must be set in the
    /// fixtures above, so the comparison covers it.
    static func unsetMembers(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap { child in
            let inner = Mirror(reflecting: child.value)
            return inner.displayStyle == .optional && inner.children.isEmpty ? child.label : nil
        }
    }
}
