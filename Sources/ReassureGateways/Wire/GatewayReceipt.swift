import Foundation
import ReassureCore

/// A provider's report on one sent message, as it travels from the webhook to the outcomes
/// worker (exchange `reassure.outcomes`, routing key `receipt`). The idempotency key ties it
/// to the contact attempt that sent it.
public struct GatewayReceipt: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case sent, delivered, failed }

    public var idempotencyKey: String
    public var provider: String
    public var providerMessageID: String?
    public var status: Status
    /// A provider error code for `failed` (never personal data).
    public var error: String?
    public var at: Date

    public init(idempotencyKey: String, provider: String, providerMessageID: String?, status: Status, error: String? = nil, at: Date) {
        self.idempotencyKey = idempotencyKey
        self.provider = provider
        self.providerMessageID = providerMessageID
        self.status = status
        self.error = error
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", provider, providerMessageID = "provider_message_id", status, error, at
    }

    /// A batch of receipts as `WireCoding.encode` writes the array, by hand: receipts go out
    /// by the thousand (`WireCodingTests` compares the two).
    public static func jsonBytes(_ receipts: [GatewayReceipt]) -> [UInt8] {
        var writer = JSONTextWriter(capacity: 160 * receipts.count)
        writer.array { out in
            for receipt in receipts {
                out.object { out in
                    out.member("at", receipt.at)
                    out.member("error", receipt.error)
                    out.member("idempotency_key", receipt.idempotencyKey)
                    out.member("provider", receipt.provider)
                    out.member("provider_message_id", receipt.providerMessageID)
                    out.member("status", receipt.status.rawValue)
                }
            }
        }
        return writer.bytes
    }

    /// The routing key receipts are published with on `reassure.outcomes`.
    public static let routingKey = "receipt"
}
